"""Every page's forms and query parameters, and every URL's arguments, sent
values that Python's ``str.isdigit()`` and ``int()`` misread or a database
cannot hold (issue 12, finding 4): superscripts, Arabic-Indic digits, an
exponent, a sign, spaces, a NUL, 400 nines and nothing.

Each page of :data:`SCENES` is opened by the user who may act on it; its
forms are read from the HTML (``method``, ``action`` or ``hx-post``, inputs,
selects, textareas and named buttons) and so are its GET forms and the query
strings of its links and ``hx-get`` attributes. Every field (fields that
differ only by a number, ``rank_12`` and ``rank_13``, count as one; two are
sent) and every parameter is then sent each value of :data:`VALUES`, one at a
time, the rest of the form as the page filled it in. Forms are posted as a
browser without JavaScript posts them (every form works so; htmx sends the
same fields). Every URL pattern's arguments are sent 400 nines and 25 digits.

Asserted: no answer is a server error; and a refused request (4xx, or a 200
that shows the form again) changes nothing — the database's fingerprint (the
number and largest id of every table of our apps, history tables included:
every write to an audited model writes one) and the files under MEDIA_ROOT
(the import stash, attachments) are the same after it. Every request runs in
a savepoint that is rolled back, so each starts from the same data.

Django's own pages (the admin, sign-in, sign-out, the language) are left out
of the form fuzzing: they parse no numbers of ours, and signing out or
switching language would change the client for the requests that follow.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, get_resolver, resolve, reverse

from tests.helpers import data_fingerprint
from tests.test_url_auth import SAMPLE_KWARGS, walk

NINES = "9" * 400
VALUES = ["²", "٣", "1e5", "-1", " 1 ", "\x00", NINES, ""]
URL_VALUES = [NINES, "1" * 25]
HTMX = {"HTTP_HX_REQUEST": "true"}
# Forms of Django's own views, not fuzzed (see the module's docstring).
SKIPPED_TARGETS = {"logout", "set_language", "login"}
# Not fuzzed: the CSRF token (these tests send none that is checked).
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}
# Fields that differ only by a number count as one: this many are sent.
PER_GROUP = 2
# Forms that save part of what is sent when they refuse the rest, and say so:
# (url name) -> the button. "Lämna in" of a follow-up report saves the draft
# when the report is not complete (followup/views/reports.py).
SAVES_WHEN_REFUSED = {"followup_report": "lamna_in"}


# --- reading a page -----------------------------------------------------------------


@dataclass
class Form:
    method: str
    action: str
    htmx: bool
    fields: list[tuple[str, str]] = field(default_factory=list)  # what the browser sends
    names: list[str] = field(default_factory=list)  # every field name, in order
    buttons: list[tuple[str, str, str | None]] = field(default_factory=list)  # name, value, url


class PageParser(HTMLParser):
    """The page's forms, and the URLs of its links and hx-get attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[tuple[str, bool]] = []  # (url, htmx)
        self.form: Form | None = None
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        for attr in ("href", "hx-get"):
            if attrs.get(attr) and tag != "form":
                self.links.append((attrs[attr], attr == "hx-get"))
        if tag == "form":
            method = "post" if attrs.get("hx-post") else attrs.get("method", "get").lower()
            action = attrs.get("action") or attrs.get("hx-post") or attrs.get("hx-get") or ""
            htmx = bool(attrs.get("hx-get") or attrs.get("hx-post")) and not attrs.get("action")
            self.form = Form(method, action, htmx)
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "image"):
                self.form.buttons.append((name, attrs.get("value", ""), attrs.get("formaction")))
                return
            if kind == "file":
                self._name(name)
                return
            self._name(name)
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.form.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "button" and attrs.get("type", "submit").lower() == "submit":
            url = attrs.get("formaction") or attrs.get("hx-post")
            self.form.buttons.append((name or "", attrs.get("value", ""), url))
        elif tag == "select" and name:
            self._name(name)
            self.select, self.options = name, []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._name(name)
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select and self.form is not None:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and self.options:
                chosen = [self.options[0][0]]
            self.form.fields += [(self.select, value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea and self.form is not None:
            self.form.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None

    def _name(self, name):
        if name not in self.form.names:
            self.form.names.append(name)


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


def url_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).url_name
    except Resolver404:
        return None


def absolute(url: str, page: str) -> str:
    """A form's or link's URL as the browser resolves it against the page."""
    if not url or url.startswith("#"):
        return page
    if url.startswith("?"):
        return urlsplit(page).path + url
    return url


def sampled(names: list[str]) -> list[str]:
    """The names to fuzz: fields that differ only by a number count as one."""
    seen: dict[str, int] = {}
    chosen = []
    for name in names:
        if name in SKIPPED_FIELDS:
            continue
        group = re.sub(r"\d+", "#", name)
        seen[group] = seen.get(group, 0) + 1
        if seen[group] <= PER_GROUP:
            chosen.append(name)
    return chosen


# --- what a request may change ------------------------------------------------------


def fingerprint(media: Path) -> tuple:
    """The count and largest id of every table of our apps (history tables
    included), and the files under MEDIA_ROOT: one query."""
    rows = data_fingerprint()
    files = tuple(sorted(str(path) for path in media.rglob("*") if path.is_file()))
    return rows, files


@dataclass
class Fuzzer:
    client: Client
    media: Path
    failures: list[str] = field(default_factory=list)
    requests: int = 0

    def send(self, method: str, url: str, data=None, *, what: str, htmx=False, saves=False):
        """Send one request in a savepoint that is rolled back; record a
        server error, or a change made by a refused request (unless the page
        ``saves`` part of what is sent when it refuses the rest)."""
        self.requests += 1
        headers = HTMX if htmx else {}
        with transaction.atomic():
            before = fingerprint(self.media)
            try:
                response = getattr(self.client, method)(url, data, **headers)
            except Exception as error:
                problem = f"{type(error).__name__}: {str(error)[:120]}"
                self.failures.append(f"{method.upper()} {url[:120]} {what}: {problem}")
                transaction.set_rollback(True)
                return None
            status = response.status_code
            if status >= 500:
                self.failures.append(f"{method.upper()} {url} {what}: {status}")
            refused = method == "get" or status >= 400 or (status == 200 and not saves)
            if refused and fingerprint(self.media) != before:
                self.failures.append(f"{method.upper()} {url} {what}: {status} changed data")
            transaction.set_rollback(True)
        return response


def shown(value: str) -> str:
    return repr(value if len(value) < 12 else value[:6] + "…")


def fuzz_query(fuzzer: Fuzzer, url: str, htmx: bool):
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    for index, (name, _value) in enumerate(params):
        for value in VALUES:
            changed = [*params[:index], (name, value), *params[index + 1 :]]
            fuzzer.send(
                "get",
                f"{parts.path}?{urlencode(changed)}",
                what=f"?{name}={shown(value)}",
                htmx=htmx,
            )


def fuzz_form(fuzzer: Fuzzer, form: Form, page: str, fuzzed_here) -> set[str]:
    """Send the form as the page filled it in, and with each field (and each
    named button) replaced by each value. Returns the URL names posted to.
    ``fuzzed_here(name)`` says whether this page fuzzes forms posting there."""
    url = absolute(form.action, page)
    if form.method == "get":
        if url_name(url) not in SKIPPED_TARGETS:
            names = sampled(form.names)
            query = urlencode(form.fields + [(n, "") for n in names if n not in dict(form.fields)])
            fuzz_query(fuzzer, f"{urlsplit(url).path}?{query}", form.htmx)
        return set()
    variants = []
    for name, value, button_url in form.buttons or [("", "", None)]:
        variant = (name, value, absolute(button_url, page) if button_url else url)
        if not any(
            v[0] == name
            and re.sub(r"\d+", "#", v[1]) == re.sub(r"\d+", "#", value)
            and v[2] == variant[2]
            for v in variants
        ):
            variants.append(variant)
    posted = set()
    fields_done = False
    for button, pressed, target in variants:
        target_name = url_name(target)
        if target_name in SKIPPED_TARGETS or not fuzzed_here(target_name):
            continue
        posted.add(target_name)
        saves = SAVES_WHEN_REFUSED.get(target_name) == button
        base: dict[str, list[str]] = {}
        for name, value in form.fields:
            base.setdefault(name, []).append(value)
        if button:
            base[button] = [pressed]
        fuzzer.send("post", target, base, what="as the page filled it in", saves=saves)
        names = [] if fields_done else sampled(form.names)
        fields_done = True
        if button:
            names.append(button)
        for name in names:
            for value in VALUES:
                data = {key: list(values) for key, values in base.items()}
                data[name] = [value, *data.get(name, [])[1:]]
                fuzzer.send("post", target, data, what=f"{name}={shown(value)}", saves=saves)
    return posted


def shape(form: Form, page: str) -> tuple:
    """Forms that differ only by numbers (one per row of a table) are one."""

    def collapse(text):
        return re.sub(r"\d+", "#", text or "")

    return (
        form.method,
        collapse(urlsplit(absolute(form.action, page)).path),
        tuple(sorted({collapse(name) for name in form.names})),
        tuple(sorted({(n, collapse(v), collapse(u)) for n, v, u in form.buttons})),
    )


# --- the site -----------------------------------------------------------------------


def _rounds_in_later_phases():
    """Round 2028 in the nämnd phase (Bildning's analysis submitted with two
    proposals) and round 2029 in the forum phase (three proposals sent on and
    ranked by two members; one a saving)."""
    from rounds.models import Phase
    from tests.factories import make_proposal, make_round
    from tests.forum_setup import rank, send_on, submitted

    namnd = make_round(year=2028, phase=Phase.NAMND)
    bildning = submitted(namnd, "Bildningsförvaltningen")
    make_proposal(bildning, title="Förstärkt stöd", rangordning=1, cost_year1=1500)
    make_proposal(bildning, title="Fritidsgård", rangordning=2, cost_year1=-300)

    forum = make_round(year=2029, phase=Phase.FORUM)
    bildning = submitted(forum, "Bildningsförvaltningen")
    social = submitted(forum, "Socialförvaltningen")
    sent = [
        send_on(forum, make_proposal(bildning, title="Stöd", cost_year1=600), "Bildningsnämnden"),
        send_on(forum, make_proposal(social, title="Hemtjänst", cost_year1=400), "Socialnämnden"),
        send_on(
            forum,
            make_proposal(bildning, title="Lokaler", typ="effektivisering", cost_year1=-200),
            "Bildningsnämnden",
        ),
    ]
    for member, ranks in {"forum-1": (2, 1, 3), "forum-2": (3, 1, 2)}.items():
        for proposal, value in zip(sent, ranks, strict=True):
            rank(forum, member, proposal, value)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo with its rounds (2026 followed up, 2027 in verksamhetsanalys)
    and rounds 2028 and 2029, loaded once for the module and rolled back after
    it; each test runs in a savepoint within, each request in one more."""
    from demo.loading import load_demo

    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        load_demo(with_round=True, phase="analys")
        _rounds_in_later_phases()
        yield media
        transaction.set_rollback(True)


def _ids():
    from followup.models import FollowUpReport
    from rounds.models import Analysis, AnalysisItem, Namnd, Proposal

    bildning = Analysis.objects.get(round__budget_year=2027, forvaltning__name__startswith="Bild")
    report = FollowUpReport.objects.filter(
        period__round__budget_year=2026, proposal__analysis__forvaltning=bildning.forvaltning
    ).first()
    return {
        "bildning": bildning.forvaltning_id,
        "klf": Analysis.objects.get(
            round__budget_year=2027, forvaltning__name__startswith="Komm"
        ).forvaltning_id,
        "item": AnalysisItem.objects.filter(analysis=bildning).order_by("pk").first(),
        "proposal": Proposal.objects.filter(analysis=bildning).order_by("number").first().number,
        "namnd": Namnd.objects.get(name="Bildningsnämnden").pk,
        "report": report.proposal.number,
    }


def _cell(ids):
    item = ids["item"]
    kwargs = {"perspektiv_id": item.perspektiv_id, "column": item.column}
    url = reverse(
        "analysis_cell", kwargs={"year": 2027, "forvaltning_id": ids["bildning"], **kwargs}
    )
    return f"{url}?fokus={item.pk}"


def _item(name):
    def url(ids):
        kwargs = {"year": 2027, "forvaltning_id": ids["bildning"], "item_id": ids["item"].pk}
        return reverse(name, kwargs=kwargs)

    return url


# (user, the page's URL from the demo's ids, htmx, url names its forms post to)
Y27 = {"year": 2027}
SCENES = {
    "start": ("controller", lambda ids: reverse("start"), False, set()),
    "organisation": ("controller", lambda ids: reverse("organisation"), False, set()),
    "people": ("controller", lambda ids: reverse("people"), False, set()),
    "password": ("revisor", lambda ids: reverse("password_change"), False, {"password_change"}),
    "rounds": ("controller", lambda ids: reverse("round_list"), False, set()),
    "round_create": ("controller", lambda ids: reverse("round_create"), False, {"round_create"}),
    "round_detail": ("controller", lambda ids: reverse("round_detail", kwargs=Y27), False, set()),
    # The phase move's confirmation page (the round's page opens it with a GET form).
    "round_move_phase": (
        "controller",
        lambda ids: reverse("round_move_phase", kwargs=Y27) + "?to_phase=3",
        False,
        {"round_move_phase"},
    ),
    "round_settings": (
        "controller",
        lambda ids: reverse("round_settings", kwargs=Y27),
        False,
        {"round_settings"},
    ),
    "round_forutsattningar": (
        "controller",
        lambda ids: reverse("round_forutsattningar", kwargs=Y27),
        False,
        {"round_forutsattningar"},
    ),
    "round_lists": (
        "controller",
        lambda ids: reverse("round_lists", kwargs=Y27),
        False,
        {"round_lists"},
    ),
    "import": (
        "controller",
        lambda ids: reverse("import_proposals", kwargs=Y27),
        False,
        {"import_proposals"},
    ),
    "analyses": ("controller", lambda ids: reverse("analysis_list", kwargs=Y27), False, set()),
    "analysis_return": (
        "controller",
        lambda ids: reverse("analysis_return", kwargs={**Y27, "forvaltning_id": ids["klf"]}),
        False,
        {"analysis_return"},
    ),
    "analysis_submit": (
        "chef-bildning",
        lambda ids: reverse("analysis_submit", kwargs={**Y27, "forvaltning_id": ids["bildning"]}),
        False,
        {"analysis_submit"},
    ),
    "analysis_grid": (
        "tjp-bildning",
        lambda ids: reverse("analysis_grid", kwargs={**Y27, "forvaltning_id": ids["bildning"]}),
        False,
        {"analysis_item_add", "analysis_item_move", "analysis_item_proposal"},
    ),
    "analysis_cell": ("tjp-bildning", _cell, True, {"analysis_item_add"}),
    "analysis_item_edit": (
        "tjp-bildning",
        _item("analysis_item_edit"),
        False,
        {"analysis_item_edit"},
    ),
    "analysis_item_delete": (
        "tjp-bildning",
        _item("analysis_item_delete"),
        False,
        {"analysis_item_delete"},
    ),
    "proposal_list": ("controller", lambda ids: reverse("proposal_list", kwargs=Y27), False, set()),
    "proposal_create": (
        "tjp-bildning",
        lambda ids: reverse("proposal_create", kwargs={**Y27, "forvaltning_id": ids["bildning"]}),
        False,
        {"proposal_create"},
    ),
    "proposal_edit": (
        "tjp-bildning",
        lambda ids: reverse("proposal_edit", kwargs={**Y27, "number": ids["proposal"]}),
        False,
        {"proposal_edit"},
    ),
    "proposal_withdraw": (
        "tjp-bildning",
        lambda ids: reverse("proposal_withdraw", kwargs={**Y27, "number": ids["proposal"]}),
        False,
        {"proposal_withdraw"},
    ),
    "proposal_detail": (
        "controller",
        lambda ids: reverse("proposal_detail", kwargs={**Y27, "number": ids["proposal"]}),
        False,
        set(),
    ),
    "documents": (
        "controller",
        lambda ids: reverse("document_list", kwargs=Y27),
        False,
        {"document_request"},
    ),
    "namnd_ranking": (
        "ledamot-bildning",
        lambda ids: reverse("namnd_ranking", kwargs={"year": 2028, "namnd_id": ids["namnd"]}),
        False,
        {"namnd_ranking_save", "namnd_ranking_record"},
    ),
    "namnd_ranking_list": (
        "controller",
        lambda ids: reverse("namnd_ranking_list", kwargs={"year": 2028}),
        False,
        set(),
    ),
    "forum_list": (
        "forum-1",
        lambda ids: reverse("forum_list", kwargs={"year": 2029}),
        False,
        set(),
    ),
    "forum_sheet": (
        "forum-1",
        lambda ids: reverse("forum_sheet", kwargs={"year": 2029}),
        False,
        {"forum_sheet"},
    ),
    "forum_meeting": (
        "forum-1",
        lambda ids: reverse("forum_meeting", kwargs={"year": 2029}),
        False,
        set(),
    ),
    "forum_order": (
        "controller",
        lambda ids: reverse("forum_order", kwargs={"year": 2029}),
        False,
        {"forum_order"},
    ),
    "forum_budget": (
        "controller",
        lambda ids: reverse("forum_budget", kwargs={"year": 2029}) + "?ram=1000",
        False,
        {"forum_budget"},
    ),
    "forum_review": (
        "controller",
        lambda ids: reverse("forum_review", kwargs={"year": 2029}),
        False,
        {"forum_review"},
    ),
    "forum_decisions": (
        "controller",
        lambda ids: reverse("forum_decisions", kwargs={"year": 2029}),
        False,
        {"forum_decisions"},
    ),
    "forum_history": (
        "controller",
        lambda ids: reverse("forum_history", kwargs={"year": 2029}),
        False,
        set(),
    ),
    "public": (
        "controller",
        lambda ids: reverse("public_round", kwargs={"year": 2026}),
        False,
        set(),
    ),
    "forum_correction": (
        "controller",
        lambda ids: reverse("forum_correction", kwargs={"year": 2026, "number": ids["report"]}),
        False,
        {"forum_correction"},
    ),
    "followup_index": (
        "controller",
        lambda ids: reverse("followup_index", kwargs={"year": 2026}),
        False,
        set(),
    ),
    "followup_periods": (
        "controller",
        lambda ids: reverse("followup_periods", kwargs={"year": 2026}),
        False,
        {"followup_periods"},
    ),
    "followup_overview": (
        "controller",
        lambda ids: reverse("followup_overview", kwargs={"year": 2026, "period": "delar"}),
        False,
        {"document_request"},
    ),
    "followup_report": (
        "tjp-bildning",
        lambda ids: reverse(
            "followup_report",
            kwargs={"year": 2026, "period": "arsbokslut", "number": ids["report"]},
        ),
        False,
        {"followup_report"},
    ),
    "followup_report_return": (
        "controller",
        lambda ids: reverse(
            "followup_report", kwargs={"year": 2026, "period": "delar", "number": ids["report"]}
        ),
        False,
        {"followup_report_return"},
    ),
    "carry_list": (
        "controller",
        lambda ids: reverse("followup_carry_list", kwargs=Y27),
        False,
        set(),
    ),
    "carry_over": (
        "controller",
        lambda ids: reverse("proposal_carry_over", kwargs={"year": 2026, "number": ids["report"]}),
        False,
        {"proposal_carry_over"},
    ),
    "comparison": (
        "controller",
        lambda ids: reverse("round_comparison", kwargs=Y27) + "?med=2026",
        False,
        set(),
    ),
}
# Query parameters the demo's pages carry in no link or form: the page after
# a move (?flyttad=), and the page of a list too short to have pages (?sida=).
EXTRA_QUERIES = {
    "namnd_ranking": ("?flyttad=1-upp",),
    "forum_sheet": ("?flyttad=1-upp",),
    "people": ("?q=&roll=&sida=2",),
    "proposal_list": ("?sida=2",),
    "followup_overview": ("?sida=2",),
}


@pytest.mark.parametrize("scene", list(SCENES))
def test_no_field_or_parameter_gives_a_server_error_or_a_refused_change(site, db, scene):
    from rounds.models import User

    username, make_url, htmx, expected = SCENES[scene]
    client = Client(enforce_csrf_checks=False)
    client.force_login(User.objects.get(username=username))
    fuzzer = Fuzzer(client, site)
    ids = _ids()
    url = make_url(ids)
    response = client.get(url, **(HTMX if htmx else {}))
    assert response.status_code == 200, f"{username} GET {url}: {response.status_code}"
    page = parse(response.content.decode())
    path = urlsplit(url).path
    queries = {(url, htmx)} if "?" in url else set()
    queries |= {(path + query, False) for query in EXTRA_QUERIES.get(scene, ())}
    for link, by_htmx in page.links:
        link = absolute(link, url)
        if "?" in link and url_name(link) not in (None, *SKIPPED_TARGETS):
            queries.add((link, by_htmx))
    # One link per target and set of parameters (a table links every row
    # alike); a page another scene opens is fuzzed there.
    pages = {url_name(other(ids)): name for name, (_u, other, _h, _e) in SCENES.items()}
    by_shape = {}
    for link, by_htmx in sorted(queries):
        parts = urlsplit(link)
        names = tuple(sorted({name for name, _ in parse_qsl(parts.query, True)}))
        if pages.get(url_name(link), scene) == scene:
            by_shape.setdefault((url_name(link), names), (link, by_htmx))
    for link, by_htmx in by_shape.values():
        fuzz_query(fuzzer, link, by_htmx)
    # Each form once; one that posts where another scene's forms post is fuzzed there.
    owners = {target: name for name, scene_ in SCENES.items() for target in scene_[3]}

    def fuzzed_here(target):
        return target in expected or owners.get(target, scene) == scene

    posted, shapes = set(), set()
    for form in page.forms:
        if shape(form, url) not in shapes:
            shapes.add(shape(form, url))
            posted |= fuzz_form(fuzzer, form, url, fuzzed_here)
    assert expected <= posted, f"{scene}: no form posts to {sorted(expected - posted)}"
    assert not fuzzer.failures, f"{fuzzer.requests} requests:\n" + "\n".join(fuzzer.failures)


# --- every URL's arguments ----------------------------------------------------------

MARKERS = {"year": "2027", "period": "delar"}


def _patterns():
    found = []
    for name, pattern in walk(get_resolver().url_patterns):
        if name.startswith("admin:") or not pattern.pattern.regex.groupindex:
            continue
        found.append(name)
    return found


@pytest.mark.parametrize("name", _patterns())
def test_no_url_argument_gives_a_server_error(site, db, name):
    from rounds.models import User

    client = Client(enforce_csrf_checks=False)
    client.force_login(User.objects.get(username="controller"))
    fuzzer = Fuzzer(client, site)
    kwargs = {}
    for index, argument in enumerate(SAMPLE_KWARGS[name]):
        kwargs[argument] = MARKERS.get(argument, str(424240 + index))
    url = reverse(name, kwargs=kwargs)
    for argument, marker in kwargs.items():
        for value in URL_VALUES:
            fuzzed = url.replace(f"/{marker}/", f"/{value}/", 1)
            assert fuzzed != url, (name, argument)
            for method in ("get", "post"):
                response = fuzzer.send(method, fuzzed, what=f"<{argument}>={shown(value)}")
                if response is not None and argument != "period":
                    assert response.status_code == 404, (method, fuzzed[:80])
    assert not fuzzer.failures, "\n".join(fuzzer.failures)
