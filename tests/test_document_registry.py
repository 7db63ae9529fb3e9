"""The document registry (documents.registry): the kinds the apps register keep
their stored values, labels, scopes and formats; the database's follow-up
constraint names exactly the period's kinds; the list of a round's documents
asks the same rule as a download; and a kind registered by an app alone is
asked for, made, listed and downloaded — the machinery edits nothing."""

import io

import pytest
from django.urls import reverse

from documents import generate, markup, registry
from documents.models import PERIOD_KINDS, Document
from followup.documents import FOLLOWUP_PDF
from followup.models import FollowUpPeriod
from prioritering import history
from prioritering.access import may, readable_documents
from ranking.documents import DECISION_PDF, FORUM_XLSX, RANKING_PDF
from ranking.models import NamndResult
from rounds.documents import ANALYSIS_PDF, ANALYSIS_XLSX
from tests.factories import analysis_of, make_round
from tests.helpers import CAST

REGISTERED = {
    # value: (label, scope, format, file name's stem)
    "beslut-pdf": ("Beslutsunderlag (PDF)", "round", "pdf", "beslutsunderlag"),
    "analys-pdf": ("Verksamhetsanalys (PDF)", "analysis", "pdf", "verksamhetsanalys"),
    "namnd-pdf": ("Nämndens rangordning (PDF)", "namnd", "pdf", "rangordning"),
    "analys-xlsx": ("Verksamhetsanalys (Excel)", "analysis", "xlsx", "verksamhetsanalys"),
    "bas-xlsx": ("Rangordningsverktyg, bas (Excel)", "round", "xlsx", "rangordning-bas"),
    "investering-xlsx": (
        "Rangordningsverktyg, investeringar (Excel)",
        "round",
        "xlsx",
        "rangordning-investeringar",
    ),
    "forum-xlsx": ("Forumsammanställning (Excel)", "round", "xlsx", "forumsammanstallning"),
    "beslut-xlsx": ("Beslut (Excel)", "round", "xlsx", "beslut"),
    "uppfoljning-pdf": ("Uppföljningsrapport (PDF)", "period", "pdf", "uppfoljning"),
    "uppfoljning-xlsx": ("Uppföljningsrapport (Excel)", "period", "xlsx", "uppfoljning"),
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def round(demo):
    return make_round()


def test_the_registered_kinds_keep_their_values_labels_scopes_and_formats():
    registered = {
        kind.value: (str(kind.label), kind.scope, kind.format, kind.stem)
        for kind in registry.kinds()
    }
    assert registered == REGISTERED
    assert dict(Document._meta.get_field("kind").choices) == {
        value: label for value, (label, *_rest) in REGISTERED.items()
    }


def test_the_round_kinds_are_listed_in_their_order():
    assert [kind.value for kind in registry.kinds(registry.ROUND)] == [
        "beslut-pdf",
        "bas-xlsx",
        "investering-xlsx",
        "forum-xlsx",
        "beslut-xlsx",
    ]
    assert [scope.name for scope in registry.scopes()] == ["analysis", "namnd", "period"]


def test_the_databases_period_constraint_names_exactly_the_period_kinds():
    period_kinds = {kind.value for kind in registry.kinds(registry.PERIOD)}
    assert period_kinds == set(PERIOD_KINDS)
    (constraint,) = [
        c for c in Document._meta.constraints if c.name == "document_period_only_for_follow_up"
    ]
    assert ("kind__in", PERIOD_KINDS) in constraint.condition.children[0].children


def test_a_kind_or_scope_is_registered_once():
    with pytest.raises(ValueError):
        registry.register(registry.get(DECISION_PDF))
    with pytest.raises(ValueError):
        registry.register_scope(registry.scope(registry.ANALYSIS))
    with pytest.raises(registry.UnknownKindError):
        registry.get("okand-pdf")


def test_the_markup_toolkit_marks_an_empty_value_as_the_history_does():
    assert markup.EMPTY == history.EMPTY


def test_the_list_filter_is_the_download_rule_as_a_query(round, demo):
    """readable_documents() lists exactly the documents generate_document
    allows, for every member of the cast and every kind."""
    bildning = analysis_of(round, "Bildningsförvaltningen")  # a draft
    social = analysis_of(round, "Socialförvaltningen")
    namnd = bildning.forvaltning.namnd
    NamndResult.objects.create(round=round, namnd=namnd)
    period = FollowUpPeriod.objects.create(round=round, kind=1, deadline="2027-05-31")
    controller = demo["controller"]
    scopes = {
        registry.ROUND: [{}],
        registry.ANALYSIS: [{"analysis": bildning}, {"analysis": social}],
        registry.NAMND: [{"namnd": namnd}],
        registry.PERIOD: [{"period": period}],
    }
    for kind in registry.kinds():
        for scope in scopes[kind.scope]:
            generate.request_document(round, kind.value, by=controller, **scope)
    documents = list(Document.objects.filter(round=round))
    assert len(documents) == 12
    for username in CAST:
        user = demo[username]
        listed = set(
            Document.objects.filter(round=round)
            .filter(readable_documents(user, round))
            .values_list("pk", flat=True)
        )
        allowed = {d.pk for d in documents if may(user, "generate_document", d)}
        assert listed == allowed, username
    assert not Document.objects.filter(readable_documents(None, round)).exists()


# --- a kind only an app registers ------------------------------------------------------


@pytest.fixture
def extra_kind(monkeypatch):
    """A round's Excel that only this test registers, its builder writing a
    small workbook (registered kinds restored afterwards)."""
    monkeypatch.setattr(registry, "_kinds", dict(registry._kinds))

    def build(document, out, progress):
        from documents.spreadsheet import TEXT, Book, Column

        book = Book("Extra")
        sheet = book.sheet("Extra", [10])
        progress(1, 1)
        sheet.append([str(document.round.budget_year)], [Column("År", 10, TEXT).style])
        book.save(out)
        return 1

    return registry.register(
        registry.Kind(
            value="extra-xlsx",
            label="Extra (Excel)",
            scope=registry.ROUND,
            format=registry.XLSX,
            stem="extra",
            readers=registry.Readers("view_forum"),
            build=build,
            help="Bara i testet.",
        )
    )


def test_a_registered_kind_is_asked_for_made_listed_and_downloaded(
    round, demo, signed_in, extra_kind, django_capture_on_commit_callbacks
):
    from openpyxl import load_workbook

    client = signed_in("tjp-social")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("document_request", args=[2027]), {"kind": "extra-xlsx"})
    document = Document.objects.get(kind="extra-xlsx")
    assert response["Location"] == reverse("document_detail", args=[2027, document.pk])
    assert generate.run(document.pk, 1) == "done"

    page = client.get(reverse("document_list", args=[2027])).content.decode()
    assert "Extra (Excel)" in page and "Bara i testet." in page
    detail = client.get(reverse("document_detail", args=[2027, document.pk])).content.decode()
    assert "extra-2027-v1.xlsx" in detail
    download = client.get(reverse("document_download", args=[2027, document.pk]))
    assert download["Content-Type"] == extra_kind.content_type
    assert 'filename="extra-2027-v1.xlsx"' in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet["A1"].value == "2027"


def test_a_kind_needs_its_scope_and_no_other(round, demo):
    controller = demo["controller"]
    analysis = analysis_of(round, "Socialförvaltningen")
    for kind, scope in (
        (ANALYSIS_PDF, {}),
        (ANALYSIS_XLSX, {"namnd": analysis.forvaltning.namnd}),
        (FORUM_XLSX, {"analysis": analysis}),
        (RANKING_PDF, {}),
        (FOLLOWUP_PDF, {}),
    ):
        with pytest.raises(ValueError):
            generate.request_document(round, kind, by=controller, **scope)
    other = make_round(year=2028)
    with pytest.raises(ValueError):
        generate.request_document(
            round, ANALYSIS_PDF, by=controller, analysis=analysis_of(other, "Socialförvaltningen")
        )
