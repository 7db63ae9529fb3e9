"""Drafts stay private (issue 12), in a published round: should an analysis be
set back to draft after publication all the same (by hand, in the database),
the public page, the documents, the exports and every reader's lists still show
only shared material. The demo is loaded once for this module (demo_rounds);
tests/test_draft_visibility.py builds rounds of its own, so the two stay apart."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ranking import selectors
from ranking.documents import excel
from ranking.documents.pdf_content import decision_document
from rounds.models import Proposal, Round
from tests.helpers import CAST
from tests.test_draft_visibility import MARK, back_to_draft, shows_draft

# Publication freezes the analyses (tests/test_publication_final.py); this is the
# case where one was set back all the same.


@pytest.fixture
def published_with_draft(demo_rounds, db):
    round = Round.objects.get(budget_year=2026)
    row = next(
        row
        for row in selectors.outcome_rows(round)
        if row.proposal.analysis.forvaltning.name == "Bildningsförvaltningen"
    )
    back_to_draft(Proposal.objects.select_related("analysis").get(pk=row.proposal.pk))
    return round


def test_the_public_page_leaves_it_out(client, published_with_draft):
    response = client.get(reverse("public_round", kwargs={"year": 2026}))
    assert response.status_code == 200
    assert not shows_draft(response.content.decode())


def test_the_decision_document_leaves_it_out(published_with_draft):
    html = "".join(part.html for part in decision_document(published_with_draft).parts)
    assert not shows_draft(html)


@pytest.mark.parametrize(
    "writer", [excel.write_forum_compilation, excel.write_decisions, excel.write_base_ranking]
)
def test_the_exports_leave_it_out(published_with_draft, writer):
    out = io.BytesIO()
    writer(published_with_draft, out)
    book = load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    cells = " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert not shows_draft(cells)


@pytest.mark.parametrize("username", CAST)
def test_no_reader_outside_sees_it_in_the_2026_lists(signed_in, published_with_draft, username):
    for name in ("forum_list", "forum_decisions", "forum_budget", "namnd_ranking_list"):
        text = signed_in(username).get(reverse(name, kwargs={"year": 2026})).content.decode()
        assert not shows_draft(text), f"{username} {name}"
    # The proposal list follows view_proposal: the förvaltning, the controller and
    # (a returned analysis) the nämnd's ledamöter may read it; nobody else.
    if username not in ("controller", "chef-bildning", "tjp-bildning", "ledamot-bildning"):
        text = signed_in(username).get(reverse("proposal_list", kwargs={"year": 2026}))
        assert not re.search(MARK, text.content.decode())
