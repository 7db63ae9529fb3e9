from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def passwords_restricted() -> bool:
    """OIDC_ONLY=1 with OIDC on: passwords only for emergency administrators."""
    return settings.OIDC_ONLY and bool(settings.OIDC_ISSUER)


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Fel användarnamn eller lösenord. Tänk på att lösenordet skiljer på stora och "
            "små bokstäver."
        ),
        "inactive": _("Kontot är inaktiverat. Kontakta kommunens administratör."),
        "password_off": _(
            "Inloggning med lösenord är avstängd. Logga in med kommunens konto i stället."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Användarnamn")
        self.fields["password"].label = _("Lösenord")
        # No autofocus: it would carry keyboard and screen-reader users past the
        # skip link, the header and the page's introduction.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self):
        # Before the password is tried: for any other account the answer is the
        # same whatever was typed, so it tells nothing and counts no failure.
        username = self.cleaned_data.get("username")
        if username and passwords_restricted():
            emergency = get_user_model().objects.filter(
                username=username, emergency_admin=True, is_active=True
            )
            if not emergency.exists():
                raise ValidationError(self.error_messages["password_off"], code="password_off")
        return super().clean()


class PasswordChangeWithoutAutofocusForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs.pop("autofocus", None)


class TwoFactorCodeForm(forms.Form):
    """A code from the authenticator app (prioritering.two_factor): six digits,
    spaces allowed as the apps show them ("123 456")."""

    code = forms.CharField(
        label=_("Kod från appen"),
        max_length=12,
        help_text=_("Sex siffror, som appen visar just nu."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "size": "8",
            }
        ),
        error_messages={"required": _("Skriv koden som appen visar.")},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("Koden är sex siffror, till exempel 123 456."))
        return code
