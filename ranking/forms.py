"""Forms of the nämnd's ranking: rank and handling per proposal, and the
recording of the nämnd's decision; the decisions of KS and KF; a round's
forum members and whom each represents."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prioritering.numbers import IntegerField, parse_id
from ranking.models import FORUM_OUTCOMES, Body, Handling, Representation
from ranking.models.body import PARAGRAPH_MAX, TEXT_MAX
from ranking.models.forum_member import OTHER_MAX
from ranking.ranks import DOWN, UP
from rounds.forms import ServiceErrorsMixin
from rounds.models import Forvaltning, Namnd
from rounds.uploads import ACCEPT, MAX_SIZE_MB, allowed_list, too_large_message

RANK_ERRORS = {
    "invalid": gettext_lazy("Ange rangordningen som ett heltal 1–10."),
    "min_value": gettext_lazy("Rangordningen ska vara ett heltal 1–10."),
    "max_value": gettext_lazy("Rangordningen ska vara ett heltal 1–10."),
}


class RankingForm(ServiceErrorsMixin, forms.Form):
    """One rank field and one handling field per proposal; the order comes as
    the repeated ``ordning`` value (proposal ids, top first)."""

    def __init__(self, data=None, *, rankings):
        super().__init__(data)
        self.rankings = rankings
        self.rows = []
        for ranking in rankings:
            proposal = ranking.proposal
            name = f"{proposal.reference} {proposal.title}"
            rank_name, handling_name = f"rank_{proposal.pk}", f"handling_{proposal.pk}"
            self.fields[rank_name] = IntegerField(
                label=_("Rangordning för %(proposal)s") % {"proposal": name},
                required=False,
                min_value=1,
                max_value=10,
                initial=ranking.rank,
                error_messages=RANK_ERRORS,
                widget=forms.NumberInput(attrs={"class": "namnd-rank-input ranklist-rank"}),
            )
            self.fields[handling_name] = forms.ChoiceField(
                label=_("Hantering av %(proposal)s") % {"proposal": name},
                required=False,
                choices=Handling.choices,
                initial=ranking.handling,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Välj en hantering bland alternativen.")},
            )
            self.rows.append((ranking, rank_name, handling_name))

    def clean(self):
        """The order (``ordning``) and the "Flytta upp/ned" button (``flytta``,
        "upp:<id>") must name proposals by id: a page of ours sends nothing
        else, and the save writes nothing unless both can be done."""
        cleaned = super().clean()
        values = self.data.getlist("ordning") if self.data else []
        self._order = []
        for value in values:
            proposal_id = parse_id(value)
            if proposal_id is None:
                self.add_error(
                    None,
                    _("Förslaget %(id)s finns inte bland nämndens förslag.")
                    % {"id": value[:20] or "–"},
                )
            else:
                self._order.append(proposal_id)
        self._move = None
        pressed = self.data.get("flytta", "") if self.data else ""
        if pressed:
            direction, _sep, value = pressed.partition(":")
            proposal_id = parse_id(value)
            if direction not in (UP, DOWN):
                self.add_error(None, _("Okänd riktning."))
            elif proposal_id is None:
                self.add_error(None, _("Förslaget finns inte bland nämndens förslag."))
            else:
                self._move = (direction, proposal_id)
        return cleaned

    def order(self) -> list[int]:
        """The posted order, proposal ids top first (after ``is_valid()``)."""
        return self._order

    def move(self) -> tuple[str, int] | None:
        """The move asked for, (direction, proposal id), if any (after ``is_valid()``)."""
        return self._move

    def row_data(self) -> list[dict]:
        return [
            {
                "proposal_id": ranking.proposal_id,
                "rank": self.cleaned_data.get(rank_name),
                "handling": self.cleaned_data.get(handling_name, ""),
            }
            for ranking, rank_name, handling_name in self.rows
        ]

    def bound_rows(self):
        """(ranking, rank field, handling field) for the template."""
        return [(ranking, self[rank], self[handling]) for ranking, rank, handling in self.rows]


class RecordForm(ServiceErrorsMixin, forms.Form):
    decision_date = forms.DateField(
        label=gettext_lazy("Sammanträdesdatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": gettext_lazy("Ange sammanträdesdatum.")},
    )
    paragraph = forms.CharField(
        label=gettext_lazy("Paragraf (§)"),
        max_length=20,
        error_messages={"required": gettext_lazy("Ange paragraf (§).")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CorrectionForm(ServiceErrorsMixin, forms.Form):
    """A rättelse of a published decision: what holds instead, and why. The
    amount is read by the service (``ranking.services.decision.correct_decision``),
    with the decisions' rules."""

    outcome = forms.ChoiceField(
        label=gettext_lazy("Beslut som gäller efter rättelsen"),
        choices=[(o.value, o.label) for o in FORUM_OUTCOMES],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Välj vad som gäller efter rättelsen."),
            "invalid_choice": gettext_lazy("Välj vad som gäller efter rättelsen."),
        },
    )
    amount = forms.CharField(
        label=gettext_lazy("Beviljat belopp år 1 (tkr)"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Bara för Finansieras delvis."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-amount"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Skäl till rättelsen"),
        help_text=gettext_lazy(
            "Till exempel: Kommunfullmäktige beslutade 2026-03-12 § 45 att finansiera förslaget. "
            "Skälet visas öppet bredvid det ursprungliga beslutet."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy(
                "Skriv skälet till rättelsen, t.ex. vilket organ som beslutade och när."
            )
        },
    )


class MeetingForm(ServiceErrorsMixin, forms.Form):
    """The date, paragraph (§) and text of a body's decision: KS or KF on a
    round (:class:`BodyDecisionForm`), or a nämnd, KS or KF on the measures of
    a follow-up period (``followup.forms.PeriodDecisionForm``)."""

    decision_date = forms.DateField(
        label=gettext_lazy("Sammanträdesdatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Ange sammanträdesdatum."),
            "invalid": gettext_lazy("Ange ett datum som finns, t.ex. 2026-03-12."),
        },
    )
    paragraph = forms.CharField(
        label=gettext_lazy("Paragraf (§)"),
        max_length=PARAGRAPH_MAX,
        help_text=gettext_lazy("Till exempel 45."),
        widget=forms.TextInput(attrs={"class": "input-short"}),
        error_messages={
            "required": gettext_lazy("Ange paragraf (§)."),
            "max_length": gettext_lazy(
                "Paragrafen kan vara högst %(limit_value)d tecken (nu %(show_value)d)."
            ),
        },
    )
    text = forms.CharField(
        label=gettext_lazy("Vad som beslutades"),
        max_length=TEXT_MAX,
        help_text=gettext_lazy(
            "Kort, t.ex.: Kommunfullmäktige fastställde budgeten med forumets prioriteringar."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Skriv vad organet beslutade."),
            "max_length": gettext_lazy(
                "Texten kan vara högst %(limit_value)d tecken (nu %(show_value)d)."
            ),
        },
    )


class BodyDecisionForm(MeetingForm):
    """A decision of KS or KF on the round: what the service
    (``ranking.services.bodies.record_body_decision``) checks again, and the
    protocol, which the view checks with ``rounds.uploads.validate_upload``."""

    field_order = ["body", "decision_date", "paragraph", "text", "protocol"]

    body = forms.ChoiceField(
        label=gettext_lazy("Organ"),
        choices=Body.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Välj organ: kommunstyrelsen eller kommunfullmäktige."),
            "invalid_choice": gettext_lazy("Välj organ: kommunstyrelsen eller kommunfullmäktige."),
        },
    )
    protocol = forms.FileField(
        label=gettext_lazy("Protokoll (valfritt)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "empty": gettext_lazy("Filen är tom."),
            "invalid": gettext_lazy("Det gick inte att läsa filen. Försök igen."),
        },
    )

    def __init__(self, *args, too_large: int | None = None, has_protocol: bool = False, **kwargs):
        """``too_large``: the size of a file the upload handler refused to
        receive; the form is then refused with that reason, keeping the rest."""
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        hint = _("Högst %(max)s MB. Tillåtna filtyper: %(allowed)s.") % {
            "max": MAX_SIZE_MB,
            "allowed": allowed_list(),
        }
        if has_protocol:
            hint = _("Välj en fil bara om protokollet ska bytas ut.") + " " + hint
        self.fields["protocol"].help_text = hint

    def clean(self):
        cleaned = super().clean()
        if self.too_large:
            self.add_error("protocol", too_large_message(self.too_large))
        return cleaned


class ForumMemberForm(ServiceErrorsMixin, forms.Form):
    """A forum member and whom they represent: what the service
    (``ranking.services.forum_members``) checks again. Without ``users`` it
    changes a member's representation only."""

    user = forms.ModelChoiceField(
        label=gettext_lazy("Person"),
        queryset=None,
        error_messages={
            "required": gettext_lazy("Välj vem som ska vara med i forumet."),
            "invalid_choice": gettext_lazy("Välj en aktiv användare i listan."),
        },
    )
    representation = forms.ChoiceField(
        label=gettext_lazy("Representerar"),
        choices=Representation.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy(
                "Välj vem deltagaren representerar: kommunstyrelsen, en nämnd, en förvaltning "
                "eller annan."
            ),
            "invalid_choice": gettext_lazy("Välj en representation bland alternativen."),
        },
    )
    namnd = forms.ModelChoiceField(
        label=gettext_lazy("Nämnd (om deltagaren representerar en nämnd)"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Välj en nämnd i listan.")},
    )
    forvaltning = forms.ModelChoiceField(
        label=gettext_lazy("Förvaltning (om deltagaren representerar en förvaltning)"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Välj en förvaltning i listan.")},
    )
    other = forms.CharField(
        label=gettext_lazy("Annan (om deltagaren representerar något annat)"),
        max_length=OTHER_MAX,
        required=False,
        help_text=gettext_lazy("Till exempel ”Pensionärsrådet” eller ”Fackliga organisationer”."),
    )

    def __init__(self, *args, round, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if users is None:
            del self.fields["user"]
        else:
            self.fields["user"].queryset = users
            self.fields["user"].label_from_instance = _person_label
        # The kommunstyrelse is its own choice, not one of the nämnder.
        self.fields["namnd"].queryset = Namnd.objects.filter(
            kommun_id=round.kommun_id, is_kommunstyrelsen=False
        )
        self.fields["forvaltning"].queryset = Forvaltning.objects.filter(
            namnd__kommun_id=round.kommun_id
        ).order_by("name")


def _person_label(user) -> str:
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username
