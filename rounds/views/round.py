"""The round: the list of rounds, a new round, the instructions page everyone
signed in reads (timeline, förutsättningar, the log of phase moves), and the
controller's set-up pages: settings and deadlines, the phase, förutsättningar
with attachments, and the round's lists."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.db import IntegrityError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from prioritering.access import is_final, may, require
from prioritering.history import EMPTY
from prioritering.numbers import parse_id
from prioritering.templatetags.formatting import tkr
from rounds.conflicts import (
    FormConflict,
    current_settings,
    merge,
    saved_by,
    settings_at_version,
    with_their_values,
)
from rounds.formatting import render_instructions
from rounds.forms import add_service_errors
from rounds.forms.proposal import field_anchor
from rounds.forms.round import (
    MARKUP_HELP,
    AttachmentForm,
    ForutsattningTextsForm,
    ListItemForm,
    PhaseMoveForm,
    RoundCreateForm,
    RoundSettingsForm,
)
from rounds.models import (
    Attachment,
    Forutsattning,
    ForutsattningKind,
    Kommun,
    ListItem,
    ListKind,
    Phase,
    PhaseTransition,
    Purpose,
    Round,
)
from rounds.readiness import phase_move_check
from rounds.services.round import create_round, move_phase
from rounds.services.setup import (
    add_attachment,
    add_list_item,
    move_list_item,
    remove_attachment,
    remove_list_item,
    rename_list_item,
    save_forutsattning_texts,
    save_settings,
)
from rounds.uploads import (
    refused_size,
    type_label,
    validate_upload,
)
from rounds.views.common import confirmed, file_download, get_round
from rounds.views.conflicts import ChangeGroup, changes_of, conflict_context

# What each role does in each phase (DESIGN.md, "The annual cycle").
PHASE_WORK = {
    Phase.PLANERING: gettext_lazy(
        "Controllern skriver instruktionerna, sätter tidplanen och det ekonomiska utrymmet, "
        "beskriver förutsättningarna och förbereder listorna. Alla andra läser instruktionerna "
        "och förbereder sig."
    ),
    Phase.VERKSAMHETSANALYS: gettext_lazy(
        "Förvaltningarnas tjänstepersoner fyller i verksamhetsanalysen och bedömer förslagen; "
        "förvaltningschefen lämnar in till nämnden."
    ),
    Phase.NAMND: gettext_lazy(
        "Nämndens ledamöter rangordnar nämndens förslag och beslutar vad som hanteras inom den "
        "egna ramen och vad som går vidare till kommungemensam prioritering."
    ),
    Phase.FORUM: gettext_lazy(
        "Omgångens forumdeltagare, som controllern utser med representation från styrelse, "
        "nämnder och förvaltningar, rangordnar de sammanställda förslagen och granskar dem; "
        "controllern leder arbetet och för in forumets slutliga ordning och förslag till beslut."
    ),
    Phase.BESLUT: gettext_lazy(
        "Controllern för in besluten och tar fram beslutsunderlaget (PDF och Excel); "
        "kommunstyrelsen och kommunfullmäktige läser och beslutar."
    ),
    Phase.UPPFOLJNING: gettext_lazy(
        "Förvaltningarnas tjänstepersoner rapporterar per period hur de beslutade förslagen "
        "genomförs; controllern följer upp. Det som inte blir gjort tas med till nästa omgång."
    ),
    Phase.AVSLUTAD: gettext_lazy("Omgången är avslutad och finns kvar som arkiv att läsa."),
}


# --- the list and a new round ----------------------------------------------


@login_required
@require_GET
def round_list(request):
    require(request.user, "view_round")
    rounds = Round.objects.order_by("-budget_year")
    return render(request, "rounds/round/list.html", {"rounds": rounds})


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    require(request.user, "manage_round")
    kommun = Kommun.objects.order_by("pk").first()
    if kommun is None:
        raise Http404
    form = RoundCreateForm(request.POST or None, kommun=kommun)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round = create_round(
                kommun,
                budget_year=data["budget_year"],
                by=request.user,
                copy_from=data["copy_from"],
                purpose=data["purpose"],
                frame_tkr=data["frame_tkr"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except IntegrityError:  # created at the same moment by someone else
            form.add_error(
                "budget_year",
                _("Det finns redan en omgång för budgetår %(year)s.")
                % {"year": data["budget_year"]},
            )
        else:
            messages.success(
                request,
                _(
                    "Omgången för budgetår %(year)s är skapad. Gå igenom inställningarna "
                    "och tidplanen."
                )
                % {"year": round.budget_year},
            )
            # Follow-up carry
            if round.copied_from_id:  # what the round before leaves to carry on
                return redirect("followup_carry_list", year=round.budget_year)
            return redirect("round_detail", year=round.budget_year)
    return render(request, "rounds/round/create.html", {"form": form})


# --- the instructions page -------------------------------------------------


def _detail_round(year: int) -> Round:
    return get_round(
        year,
        "deadlines",
        Prefetch("transitions", queryset=PhaseTransition.objects.select_related("by")),
        Prefetch(
            "forutsattningar",
            queryset=Forutsattning.objects.prefetch_related(
                Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk"))
            ),
        ),
    )


def _timeline(round: Round) -> list[dict]:
    steps = []
    for phase in Phase:
        if phase < round.phase:
            state, state_label = "done", _("Klar")
        elif phase == round.phase:
            state, state_label = "current", _("Pågår nu")
        else:
            state, state_label = "coming", _("Kommande")
        steps.append(
            {
                "phase": phase,
                "label": phase.label,
                "deadline": round.deadline(phase),
                "dated": phase != Phase.AVSLUTAD,
                "state": state,
                "state_label": state_label,
                "work": PHASE_WORK[phase],
            }
        )
    return steps


def _forutsattningar(round: Round, *, with_empty: bool = False) -> list[dict]:
    """The round's förutsättningar in the kinds' order, each with its text
    rendered and its attachments."""
    by_kind = {item.kind: item for item in round.forutsattningar.all()}
    result = []
    for kind in ForutsattningKind:
        item = by_kind.get(kind.value)
        attachments = list(item.attachments.all()) if item else []
        for attachment in attachments:
            attachment.type_label = type_label(attachment.content_type)
        text = item.text if item else ""
        if with_empty or text.strip() or attachments:
            result.append(
                {
                    "kind": kind.value,
                    "label": kind.label,
                    "text": text,
                    "html": render_instructions(text, top_heading=4),
                    "attachments": attachments,
                }
            )
    return result


def _detail_context(request, round: Round, phase_form: PhaseMoveForm) -> dict:
    previous = Phase(round.phase - 1) if round.phase > Phase.PLANERING else None
    following = Phase(round.phase + 1) if round.phase < Phase.AVSLUTAD else None
    return {
        "round": round,
        "instructions": render_instructions(round.instructions),
        "timeline": _timeline(round),
        "forutsattningar": _forutsattningar(round),
        "transitions": round.transitions.all(),
        "phase_form": phase_form,
        "previous_phase": previous if may(request.user, "move_phase_back", round) else None,
        "next_phase": following,
        "can_manage": may(request.user, "manage_round", round),
        "can_set_up": may(request.user, "set_up_round", round),
        "is_final": is_final(round),
    }


@login_required
@require_GET
def round_detail(request, year):
    round = _detail_round(year)
    require(request.user, "view_round", round)
    context = _detail_context(request, round, PhaseMoveForm())
    return render(request, "rounds/round/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_move_phase(request, year):
    """GET ?to_phase=N: the confirmation page, which says what the move
    leaves undone; only its POST (with ``confirm``) moves the round."""
    round = get_round(year, "deadlines")
    require(request.user, "manage_round", round)
    form = PhaseMoveForm(request.POST if request.method == "POST" else request.GET)
    to_phase = form.cleaned_data["to_phase"] if form.is_valid() else None
    if to_phase is None or abs(to_phase - round.phase) != 1:
        if request.method == "GET":
            return redirect("round_detail", year=year)
        if to_phase is not None:
            form.add_error(None, _("En omgång flyttas en fas i taget, framåt eller bakåt."))
        # Show the round's page again, with the error next to the phase buttons.
        context = _detail_context(request, _detail_round(year), form)
        return render(request, "rounds/round/detail.html", context)
    if to_phase < round.phase:
        require(request.user, "move_phase_back", round)
    if confirmed(request):
        try:
            round = move_phase(
                round,
                to_phase=to_phase,
                by=request.user,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Omgången är flyttad till fasen %(phase)s.") % {"phase": round.phase_label},
            )
            return redirect("round_detail", year=year)
    context = {
        "round": round,
        "form": form,
        "check": phase_move_check(round, to_phase),
        "work": PHASE_WORK[Phase(to_phase)],
    }
    return render(request, "rounds/round/move_phase.html", context)


# --- settings and deadlines ------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def round_settings(request, year):
    """The form carries the settings' version; a save from an older one
    writes nothing and shows what the colleague changed (409)."""
    round = get_round(year, "deadlines")
    require(request.user, "set_up_round", round)
    data = _with_their_settings(request.POST, round) if request.method == "POST" else None
    form = RoundSettingsForm(data, instance=round)
    if request.method == "POST" and form.is_valid():
        loaded = form.cleaned_data["version"]
        try:
            save_settings(
                round,
                form.settings_fields(),
                form.deadlines(),
                by=request.user,
                expected_version=loaded,
            )
        except FormConflict:
            return _settings_conflict(request, year, form, loaded)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Inställningarna och tidplanen är sparade."))
            return redirect("round_detail", year=year)
    return render(request, "rounds/round/settings.html", {"round": round, "form": form})


def _setting_as_data(value) -> str | None:
    """A setting's value as the browser posts it (None: not posted, an
    unticked box)."""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _with_their_settings(post, round: Round):
    """The posted form, with the colleague's value wherever the user chose
    "Använd deras" after a conflict (``rounds.conflicts.with_their_values``)."""
    names = RoundSettingsForm.value_names()

    def at_version(version: int):
        values = settings_at_version(round, version, names)
        if values is None and version == round.settings_version:
            values = current_settings(round, names)
        return values

    return with_their_values(post, names, at_version, _setting_as_data)


def _setting_text(name: str, value) -> str:
    """A setting as the conflict shows it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if name == "frame_tkr":
        return tkr(value)
    if name == "purpose":
        return str(Purpose(value).label)
    return str(value)


def _settings_conflict(request, year: int, form, loaded: int):
    """Nothing was written. The settings form again, merged: the colleague's
    values where the user changed nothing, the user's where they did, a
    choice where both did; at the current version, so the next save is a
    deliberate one."""
    current = get_round(year, "deadlines")
    names = form.value_names()
    mine = {name: form.cleaned_data.get(name) for name in names}
    result = merge(
        settings_at_version(current, loaded, names), current_settings(current, names), mine
    )
    merged = RoundSettingsForm(
        initial={**result.values, "version": current.settings_version}, instance=current
    )
    who, when = saved_by(
        Round.history.filter(id=current.pk), "settings_version", current.settings_version
    )
    group = ChangeGroup(
        "",
        who,
        when,
        changes=changes_of(
            result,
            label=lambda name: merged[name].label,
            anchor=lambda name: field_anchor(merged[name]),
            text=_setting_text,
        ),
    )
    conflict = conflict_context(
        _("Någon annan har sparat inställningarna medan du redigerade."), [group]
    )
    context = {"round": current, "form": merged, "conflict": conflict}
    return render(request, "rounds/round/settings.html", context, status=409)


# --- förutsättningar and attachments ---------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def round_forutsattningar(request, year):
    """The texts and attachments of the förutsättningar. A file past the size
    limit stops being received at once: the limit is every request's first
    upload handler (FILE_UPLOAD_HANDLERS)."""
    round = get_round(
        year,
        Prefetch(
            "forutsattningar",
            queryset=Forutsattning.objects.prefetch_related(
                Prefetch(
                    "attachments",
                    queryset=Attachment.objects.select_related("uploaded_by").order_by(
                        "uploaded_at", "pk"
                    ),
                )
            ),
        ),
    )
    require(request.user, "set_up_round", round)
    texts_form = ForutsattningTextsForm(forutsattningar=round.forutsattningar.all())
    upload_forms = {kind: AttachmentForm(kind=kind) for kind in ForutsattningKind.values}
    if request.method == "POST":
        action = request.POST.get("action")
        url = reverse("round_forutsattningar", kwargs={"year": year})
        if action == "texts":
            texts_form = ForutsattningTextsForm(
                request.POST, forutsattningar=round.forutsattningar.all()
            )
            if texts_form.is_valid():
                save_forutsattning_texts(round, texts_form.cleaned_data, by=request.user)
                messages.success(request, _("Texterna om förutsättningarna är sparade."))
                return redirect(url)
        elif action == "upload":
            kind = _kind(request.POST.get("kind"), ForutsattningKind)
            form = AttachmentForm(
                request.POST, request.FILES, kind=kind, too_large=refused_size(request)
            )
            if form.is_valid():
                uploaded = form.cleaned_data["file"]
                try:
                    content_type = validate_upload(uploaded)
                except ValidationError as error:
                    form.add_error("file", error)
                else:
                    attachment = add_attachment(
                        round, kind, uploaded, content_type, by=request.user
                    )
                    messages.success(
                        request,
                        _("Bilagan ”%(name)s” är uppladdad till %(kind)s.")
                        % {"name": attachment.name, "kind": ForutsattningKind(kind).label},
                    )
                    return redirect(f"{url}#forutsattning-{kind}")
            upload_forms[kind] = form
        elif action == "remove":
            attachment = get_object_or_404(
                Attachment, pk=_int(request.POST.get("attachment")), forutsattning__round=round
            )
            remove_attachment(attachment, by=request.user)
            messages.success(
                request,
                _("Bilagan ”%(name)s” är borttagen. Den finns kvar i historiken.")
                % {"name": attachment.name},
            )
            return redirect(url)
        else:
            raise BadRequest("unknown action")
    context = {
        "round": round,
        "markup_help": MARKUP_HELP,
        "texts_form": texts_form,
        "sections": [
            {**section, "upload_form": upload_forms[section["kind"]]}
            for section in _forutsattningar(round, with_empty=True)
        ],
    }
    return render(request, "rounds/round/forutsattningar.html", context)


def _kind(value, choices) -> str:
    if value not in choices.values:
        raise BadRequest("unknown kind")
    return value


def _int(value) -> int:
    """A posted id (an attachment, a list entry); 404 for anything else."""
    number = parse_id(value)
    if number is None:
        raise Http404
    return number


@login_required
@require_GET
def attachment_download(request, year, pk):
    attachment = get_object_or_404(
        Attachment.objects.select_related("forutsattning__round"),
        pk=pk,
        forutsattning__round__budget_year=year,
    )
    require(request.user, "view_round", attachment.forutsattning.round)
    return file_download(
        attachment.file, filename=attachment.name, content_type=attachment.content_type
    )


# --- the round's lists -----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def round_lists(request, year):
    """Each list is a section of its own; htmx swaps only that section, and
    every button is also a plain form that works without JavaScript."""
    round = get_round(year)
    require(request.user, "set_up_round", round)
    items = _list_items(round)
    errors: dict = {}
    if request.method == "POST":
        kind = _kind(request.POST.get("kind"), ListKind)
        message, errors = _list_action(request, round, kind)
        if request.htmx:
            section = _list_section(round, kind, _list_items(round)[kind], errors)
            announcement = "" if errors else message
            context = {"round": round, "section": section, "announcement": announcement}
            return render(request, "rounds/round/lists.html#section", context)
        if not errors:
            messages.success(request, message)
            return redirect(reverse("round_lists", kwargs={"year": year}) + f"#lista-{kind}")
        items = _list_items(round)
    sections = [
        _list_section(round, kind, items[kind], errors if errors.get("kind") == kind else {})
        for kind in ListKind.values
    ]
    return render(request, "rounds/round/lists.html", {"round": round, "sections": sections})


def _list_items(round: Round) -> dict[str, list[ListItem]]:
    items: dict[str, list[ListItem]] = {kind: [] for kind in ListKind.values}
    for item in round.list_items.order_by("kind", "position", "name", "pk"):
        items[item.kind].append(item)
    return items


def _list_section(round: Round, kind: str, items: list[ListItem], errors: dict) -> dict:
    rows = [
        {
            "item": item,
            "form": errors.get(item.pk) or ListItemForm(round=round, kind=kind, item=item),
        }
        for item in items
    ]
    return {
        "kind": kind,
        "label": ListKind(kind).label,
        "rows": rows,
        "count": len(items),
        "add_form": errors.get("add") or ListItemForm(round=round, kind=kind, prefix=kind),
        "error": errors.get("error"),
    }


def _list_action(request, round: Round, kind: str) -> tuple[str, dict]:
    """Do what the button asked; returns the message to announce and, when it
    could not be done, the forms with their errors."""
    action = request.POST.get("action")
    if action == "add":
        form = ListItemForm(request.POST, round=round, kind=kind, prefix=kind)
        if not form.is_valid():
            return "", {"kind": kind, "add": form}
        try:
            item = add_list_item(round, kind, form.cleaned_data["name"], by=request.user)
        except IntegrityError:
            form.add_error("name", _("”%(name)s” finns redan i listan.") % form.cleaned_data)
            return "", {"kind": kind, "add": form}
        return _("”%(name)s” är tillagd i listan.") % {"name": item.name}, {}
    item = get_object_or_404(ListItem, pk=_int(request.POST.get("item")), round=round, kind=kind)
    if action == "rename":
        form = ListItemForm(request.POST, round=round, kind=kind, item=item)
        if not form.is_valid():
            return "", {"kind": kind, item.pk: form}
        old = item.name
        try:
            rename_list_item(item, form.cleaned_data["name"], by=request.user)
        except IntegrityError:
            form.add_error("name", _("”%(name)s” finns redan i listan.") % form.cleaned_data)
            return "", {"kind": kind, item.pk: form}
        return _("”%(old)s” heter nu ”%(new)s”.") % {"old": old, "new": item.name}, {}
    if action in ("up", "down"):
        position, count = move_list_item(item, -1 if action == "up" else 1, by=request.user)
        return (
            _("”%(name)s” är på plats %(position)s av %(count)s.")
            % {"name": item.name, "position": position, "count": count},
            {},
        )
    if action == "remove":
        if not remove_list_item(item, by=request.user):
            error = _(
                "”%(name)s” används av förslag eller verksamhetsanalyser och kan inte tas bort. "
                "Byt namn på den i stället."
            ) % {"name": item.name}
            return error, {"kind": kind, "error": error}
        return _("”%(name)s” är borttagen ur listan.") % {"name": item.name}, {}
    raise BadRequest("unknown action")
