"""Work in one analysis against its submission (PostgreSQL, a thread and a
database connection of its own per request, all released together through
the real views): new proposals, new items and carry-overs from last year
beside the förvaltningschef's "Lämna in". Whatever wins, nobody gets a 500
(before issue 13 up to half of them deadlocked) and nothing lands in the
analysis after the moment it was submitted: every row written was written
before ``submitted_at``, and every request that said it saved did.

The helpers at the top are shared by the other race modules
(tests/test_race_*.py)."""

import copy
import time
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from demo.loading import load_demo
from ranking.models import Outcome
from rounds.models import (
    Analysis,
    AnalysisColumn,
    AnalysisItem,
    AnalysisStatus,
    ListItem,
    ListKind,
    Proposal,
    User,
)
from tests.factories import analysis_of, make_proposal, make_round
from tests.followup.test_carry import decide, follow_up_round
from tests.helpers import run_together
from tests.proposal_helpers import form_data

RUNS = 5
# How long the deciding request (the submission, the phase move, the
# publication) waits after the others are released, run by run: it lands
# before them, among them and after most of them.
OFFSETS = (0.0, 0.05, 0.15, 0.3, 0.5)
# A carry-over asks more before it writes (last year's proposal, its
# follow-up, next year's analysis): the submission comes later.
CARRY_OFFSETS = (0.3, 0.5, 0.7, 0.9, 1.2)
BILDNING = "Bildningsförvaltningen"

# --- shared by the race modules ------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What a browser saw of one response."""

    status: int
    location: str = ""


def signed_in(username: str) -> Client:
    """A browser of its own, signed in as ``username`` (a session of its own)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def same_session(client: Client) -> Client:
    """Another connection of the same browser: the same session cookie (a
    double click sends the form again from the same tab)."""
    twin = Client()
    twin.cookies = copy.deepcopy(client.cookies)
    return twin


def new_key() -> str:
    """A form's ``submit_key`` as the page gives it: a fresh uuid4 per form shown."""
    return str(uuid.uuid4())


def post_at_once(client: Client, url: str, data: dict, *, htmx: bool = False, after: float = 0):
    """A target for ``run_together``: POST ``data`` when everyone is ready
    (``after`` seconds later)."""
    headers = {"HX-Request": "true"} if htmx else {}

    def target(barrier):
        barrier.wait()
        if after:
            time.sleep(after)
        response = client.post(url, data, headers=headers)
        return Answer(response.status_code, response.get("Location", ""))

    return target


def get_at_once(client: Client, url: str):
    def target(barrier):
        barrier.wait()
        return Answer(client.get(url).status_code)

    return target


class _Form(HTMLParser):
    """The fields of the page's form that posts to ``action``, as a browser
    sends them: inputs with their values (checked radios and checkboxes
    only), textareas and selected options; no buttons."""

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = self.found = False
        self.fields: list[tuple[str, str]] = []
        self._text: tuple[str, list[str]] | None = None  # textarea: name, content
        self._select: tuple[str, list] | None = None  # select: name, (value, selected)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
            self.found = self.found or self.inside
        if tag == "option" and self.inside and self._select is not None:
            self._select[1].append((attrs.get("value") or "", "selected" in attrs))
        if not self.inside or "name" not in attrs:
            return
        name = attrs["name"]
        kind = (attrs.get("type") or "text").lower()
        if tag == "input" and kind not in ("submit", "button", "image", "file", "reset"):
            if kind not in ("radio", "checkbox") or "checked" in attrs:
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea":
            self._text = (name, [])
        elif tag == "select":
            self._select = (name, [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._text is not None:
            self._text[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._text is not None:
            name, parts = self._text
            self.fields.append((name, "".join(parts).removeprefix("\n")))
            self._text = None
        elif tag == "select" and self._select is not None:
            name, options = self._select
            chosen = [value for value, selected in options if selected] or [
                value for value, _selected in options[:1]
            ]
            self.fields += [(name, value) for value in chosen[:1]]
            self._select = None


def form_fields(page, action: str) -> dict:
    """What the browser posts for the form of ``page`` (a response or its
    HTML) whose action is ``action``, as it is shown — hidden fields (a
    version, the submit key) included. Repeated names become lists."""
    html = page if isinstance(page, str) else page.content.decode()
    parser = _Form(action)
    parser.feed(html)
    fields: dict = {}
    for name, value in parser.fields:
        if name in fields:
            previous = fields[name]
            fields[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[name] = value
    assert parser.found, f"no form posting to {action} on the page"
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def assert_answered(results, allowed: set[int]) -> list[Answer]:
    """Every request answered (no exception: a deadlock or a unique violation
    reaches the test client as one) with a status in ``allowed``."""
    for result in results:
        assert not isinstance(result, Exception), f"{type(result).__name__}: {result}"
    statuses = [result.status for result in results]
    assert all(status in allowed for status in statuses), statuses
    return results


# --- the analysis against its submission -----------------------------------------


def grid_url(analysis) -> str:
    return reverse(
        "analysis_grid",
        kwargs={"year": analysis.round.budget_year, "forvaltning_id": analysis.forvaltning_id},
    )


def submit_url(analysis) -> str:
    return grid_url(analysis) + "lamna-in/"


def add_item_url(analysis) -> str:
    return grid_url(analysis) + "punkter/ny/"


def create_url(analysis) -> str:
    return reverse(
        "proposal_create",
        kwargs={"year": analysis.round.budget_year, "forvaltning_id": analysis.forvaltning_id},
    )


def reopen(analysis: Analysis) -> Analysis:
    """The analysis as a draft again, for the next run."""
    analysis = Analysis.objects.select_related("round").get(pk=analysis.pk)
    analysis.status = AnalysisStatus.DRAFT
    analysis.submitted_at = analysis.submitted_by = None
    analysis.save()
    return analysis


def assert_nothing_after_submission(analysis: Analysis) -> Analysis:
    """The analysis is submitted, and no proposal or item of it was written
    after that moment (their history rows say when each write was made)."""
    analysis = Analysis.objects.get(pk=analysis.pk)
    assert analysis.status == AnalysisStatus.SUBMITTED
    after = {"analysis_id": analysis.pk, "history_date__gt": analysis.submitted_at}
    late = [
        (h.title, h.history_type, h.history_date)
        for h in Proposal.history.filter(**after).order_by("history_date")
    ]
    assert not late, f"proposals written after the submission at {analysis.submitted_at}: {late}"
    late = [
        (h.text, h.history_type, h.history_date)
        for h in AnalysisItem.history.filter(**after).order_by("history_date")
    ]
    assert not late, f"items written after the submission at {analysis.submitted_at}: {late}"
    return analysis


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_creates_and_item_adds_beside_the_submit_land_before_it_or_not_at_all(postgres):
    load_demo()
    analysis = analysis_of(make_round(), BILDNING)
    perspektiv = ListItem.objects.filter(round=analysis.round, kind=ListKind.PERSPEKTIV).first()
    creators = [signed_in("tjp-bildning") for _ in range(6)]
    adders = [signed_in("tjp-bildning") for _ in range(6)]
    chef = signed_in("chef-bildning")
    for client in [*creators, *adders, chef]:  # each has the grid open
        assert client.get(grid_url(analysis)).status_code == 200

    for run in range(RUNS):
        analysis = reopen(analysis)
        titles = [f"Förslag {run}-{i}" for i in range(len(creators))]
        texts = [f"Punkt {run}-{i}" for i in range(len(adders))]
        targets = [
            post_at_once(c, create_url(analysis), form_data(title=t, submit_key=new_key()))
            for c, t in zip(creators, titles, strict=True)
        ]
        targets += [
            post_at_once(
                c,
                add_item_url(analysis),
                {
                    "perspektiv": perspektiv.pk,
                    "column": AnalysisColumn.NYA_RESURSER,
                    "text": t,
                    "submit_key": new_key(),
                },
            )
            for c, t in zip(adders, texts, strict=True)
        ]
        submit = {"confirm": "1", "submit_key": new_key()}
        targets.append(post_at_once(chef, submit_url(analysis), submit, after=OFFSETS[run]))
        results = run_together(*targets)
        assert_answered(results, {302, 403})
        assert results[-1].status == 302, results  # the submission itself went through
        assert_nothing_after_submission(analysis)
        # A create or an add that said it saved did; one refused wrote nothing.
        created = set(Proposal.objects.filter(analysis=analysis).values_list("title", flat=True))
        for title, result in zip(titles, results, strict=False):
            assert (title in created) == (result.status == 302), (title, results)
        added = set(AnalysisItem.objects.filter(analysis=analysis).values_list("text", flat=True))
        for text, result in zip(texts, results[len(titles) :], strict=False):
            assert (text in added) == (result.status == 302), (text, results)


# --- carrying last year's proposals into the analysis ---------------------------------


def carry_url(proposal: Proposal) -> str:
    return reverse(
        "proposal_carry_over",
        kwargs={"year": proposal.round.budget_year, "number": proposal.number},
    )


def to_carry(old_analysis: Analysis, count: int, run: int) -> list[Proposal]:
    """Proposals of last year's round decided "Utreds vidare": ones to carry over."""
    return [
        decide(make_proposal(old_analysis, title=f"Utredning {run}-{i}"), Outcome.UTREDS)
        for i in range(count)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_carry_overs_beside_the_submit_land_before_it_or_not_at_all(postgres):
    load_demo()
    old = analysis_of(follow_up_round(2026), BILDNING)
    analysis = analysis_of(make_round(2027), BILDNING)
    carriers = [signed_in("tjp-bildning") for _ in range(5)]
    chef = signed_in("chef-bildning")
    for client in [*carriers, chef]:
        assert client.get(grid_url(analysis)).status_code == 200

    for run in range(RUNS):
        analysis = reopen(analysis)
        proposals = to_carry(old, len(carriers), run)
        targets = [
            post_at_once(c, carry_url(p), {"reason": "Utreds på nytt.", "submit_key": new_key()})
            for c, p in zip(carriers, proposals, strict=True)
        ]
        submit = {"confirm": "1", "submit_key": new_key()}
        targets.append(post_at_once(chef, submit_url(analysis), submit, after=CARRY_OFFSETS[run]))
        results = run_together(*targets)
        assert_answered(results, {302, 403})
        assert results[-1].status == 302, results
        assert_nothing_after_submission(analysis)
        for proposal, result in zip(proposals, results, strict=False):
            carried = Proposal.objects.filter(carried_from=proposal).first()
            assert (carried is not None) == (result.status == 302), (proposal.title, results)
            if carried is not None:
                assert carried.analysis_id == analysis.pk
