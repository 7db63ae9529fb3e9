"""Importing a spreadsheet into a round: upload → preview → confirm.

The upload is checked (``rounds.uploads``) and read; the preview shows each
row as it will be stored, with every problem beside its row. Only a file
without problems is kept (``rounds.importing.stash``) and offered for
confirmation; the confirmation reads that same file again — nothing is asked
twice — and imports it in one transaction, or shows what is now wrong (an
analysis may have been submitted meanwhile) and imports nothing.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from prioritering.access import require
from prioritering.numbers import ModelChoiceField
from rounds.importing import (
    AlreadyImported,
    ImportRefused,
    PreviewOutdated,
    UnreadableWorkbook,
    import_workbook,
    plan_import,
    read_workbook,
)
from rounds.importing.stash import StashExpired, discard, stash, unstash
from rounds.models import Forvaltning
from rounds.uploads import MAX_SIZE_MB, refused_size, too_large_message
from rounds.views.common import get_round


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel-fil (.xlsx)"),
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        error_messages={
            "required": gettext_lazy("Välj en Excel-fil att importera."),
            "empty": gettext_lazy("Filen är tom."),
            "invalid": gettext_lazy("Det gick inte att läsa filen. Försök igen."),
        },
    )
    forvaltning = ModelChoiceField(
        label=gettext_lazy("Förvaltning"),
        required=False,
        queryset=Forvaltning.objects.none(),
        empty_label=gettext_lazy("– Enligt filens kolumn Nämnd eller bladets namn –"),
        help_text=gettext_lazy(
            "För blad utan kolumnen Nämnd (basverktyget, investeringsverktyget, en "
            "verksamhetsanalys): vilken förvaltning raderna hör till."
        ),
    )

    def __init__(self, *args, round, too_large: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Interpolated per request, in the reader's language (a lazy string
        # formatted at import time would stay in the language of the import).
        self.fields["file"].help_text = _(
            "Forumsammanställning, basverktyg för rangordning, verktyg för investeringar "
            "eller en verksamhetsanalys. Högst %(max)s MB."
        ) % {"max": MAX_SIZE_MB}
        self.fields["forvaltning"].queryset = Forvaltning.objects.filter(
            namnd__kommun_id=round.kommun_id
        ).order_by("name")
        if too_large:
            self.fields["file"].error_messages["required"] = too_large_message(too_large)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, year):
    """A file past the size limit stops being received at once: the limit is
    every request's first upload handler (FILE_UPLOAD_HANDLERS)."""
    round = get_round(year)
    require(request.user, "import_proposals", round)
    if request.method == "GET":
        form = ImportForm(round=round)
        return render(request, "rounds/importing/upload.html", {"round": round, "form": form})
    form = ImportForm(request.POST, request.FILES, round=round, too_large=refused_size(request))
    if not form.is_valid():
        return render(request, "rounds/importing/upload.html", {"round": round, "form": form})
    uploaded = form.cleaned_data["file"]
    forvaltning = form.cleaned_data["forvaltning"]
    data = uploaded.read()
    try:
        parsed = read_workbook(data, uploaded.name)
    except UnreadableWorkbook as error:
        form.add_error("file", str(error))
        return render(request, "rounds/importing/upload.html", {"round": round, "form": form})
    plan = plan_import(round, parsed, forvaltning=forvaltning)
    token = None
    if plan.ok:
        token = stash(
            data,
            name=uploaded.name,
            round_id=round.pk,
            user_id=request.user.pk,
            forvaltning_id=forvaltning.pk if forvaltning else None,
        )
    return _preview(request, round, plan, token)


def _preview(request, round, plan, token, status=200, refused=()):
    """The rows as they will be stored; ``refused``: problems the final
    checks found that the plan does not show (a field the model refuses)."""
    extra = [problem for problem in refused if problem not in plan.problems]
    return render(
        request,
        "rounds/importing/preview.html",
        {
            "round": round,
            "plan": plan,
            "token": token,
            "extra_problems": extra,
            "problem_count": len(plan.problems) + len(extra),
        },
        status=status,
    )


@login_required
@require_POST
def import_confirm(request, year):
    round = get_round(year)
    require(request.user, "import_proposals", round)
    try:
        stashed = unstash(request.POST.get("token", ""), round_id=round.pk, user_id=request.user.pk)
    except StashExpired:
        messages.error(
            request,
            _(
                "Förhandsvisningen har gått ut eller är redan importerad. Ladda upp filen "
                "igen om den inte finns bland förslagen."
            ),
        )
        return redirect("import_proposals", year=year)
    forvaltning = (
        Forvaltning.objects.filter(pk=stashed.forvaltning_id).first()
        if stashed.forvaltning_id
        else None
    )
    try:
        parsed = read_workbook(stashed.data, stashed.name)
        result = import_workbook(
            round,
            parsed,
            by=request.user,
            forvaltning=forvaltning,
            token=stashed.file,
            previewed_at=stashed.previewed_at,
        )
    except AlreadyImported:
        messages.info(request, _("Filen är redan importerad."))
        return redirect("round_detail", year=year)
    except PreviewOutdated as outdated:
        # Shown again as it is now, with a new token, to be confirmed again.
        discard(stashed.file)
        for problem in outdated.problems:
            messages.warning(request, str(problem))
        plan = plan_import(round, parsed, forvaltning=forvaltning)
        token = stash(
            stashed.data,
            name=stashed.name,
            round_id=round.pk,
            user_id=request.user.pk,
            forvaltning_id=stashed.forvaltning_id,
        )
        return _preview(request, round, plan, token, status=409)
    except ImportRefused as refused:
        discard(stashed.file)
        plan = plan_import(round, parsed, forvaltning=forvaltning)
        return _preview(request, round, plan, None, status=409, refused=refused.problems)
    discard(stashed.file)
    parts = [_("Importerade %(count)s förslag") % {"count": result.proposals}]
    if result.items:
        parts.append(_("%(count)s analyspunkter") % {"count": result.items})
    messages.success(
        request,
        _("%(what)s från ”%(name)s”.") % {"what": _(" och ").join(parts), "name": stashed.name},
    )
    return redirect("round_detail", year=year)
