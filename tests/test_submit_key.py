"""``{% submit_key %}``: every form that writes carries a fresh key, so that the
server can answer a double click with the first answer (prioritering.transactions).
The browser's part (buttons that wait, a fresh key after an htmx answer) is in
tests/browser/test_double_submit.py."""

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import get_template

from rounds.models import AnalysisColumn, AnalysisItem, ListItem
from tests.factories import analysis_of, make_round

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# What the server accepts as a key (prioritering.transactions).
KEY = re.compile(r"[A-Za-z0-9-]{8,64}")
FIELD = re.compile(r'<input type="hidden" name="submit_key" value="([^"]*)">')
FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.S | re.I)
WRITES = re.compile(r"""\bmethod=["']?post\b|\bhx-(post|put|patch|delete)=""", re.I)

# Forms that write without a key of their own, each with a word of its tag that
# tells it apart, and why.
WITHOUT_KEY = {
    ("base.html", "set_language"): "the language switch sets a cookie",
    ("base.html", "logout"): "signing out",
    ("registration/login.html", "login"): "signing in: no user yet to keep a key for",
    ("registration/password_change.html", "<form"): "the password: Django's own view",
    ("registration/two_factor_verify.html", "two_factor_verify"): (
        "the code after the password: signing in, no user yet to keep a key for"
    ),
    # The pages that send a post again carry its fields, submit_key among them:
    # the same submission, so a double click on "Skicka igen" counts once.
    ("registration/session_expired.html", "action"): "sends a post again, with its key",
    ("busy.html", "action"): "sends a post again, with its key",
}


def render_tag(source="{% submit_key %}"):
    return Template("{% load submission %}" + source).render(Context())


def post_forms():
    """(template name, opening tag, body) of every form in templates/ that writes."""
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        for form in FORM.finditer(path.read_text()):
            if WRITES.search(form["attrs"]):
                yield name, "<form" + form["attrs"] + ">", form["body"]


def allowed_without_key(name, tag):
    return [key for key in WITHOUT_KEY if key[0] == name and key[1] in tag]


def test_the_tag_renders_a_hidden_field_with_a_uuid4():
    value = FIELD.fullmatch(render_tag()).group(1)
    assert uuid.UUID(value).version == 4
    assert str(uuid.UUID(value)) == value
    assert KEY.fullmatch(value)


def test_each_render_gives_a_new_key():
    values = [FIELD.fullmatch(render_tag()).group(1) for _ in range(20)]
    values += FIELD.findall(render_tag("{% submit_key %}{% submit_key %}"))
    assert len(set(values)) == 22


def test_every_form_that_writes_carries_a_submit_key():
    missing = [
        f"{name}: {tag}"
        for name, tag, body in post_forms()
        if "{% submit_key %}" not in body and not allowed_without_key(name, tag)
    ]
    assert not missing, "POST forms without {% submit_key %}:\n" + "\n".join(missing)


def test_the_forms_allowed_without_a_key_are_still_there():
    """An allowance that no longer matches a form goes from the list."""
    found = {key for name, tag, _body in post_forms() for key in allowed_without_key(name, tag)}
    assert found == set(WITHOUT_KEY)


def test_every_template_with_the_tag_loads_it():
    users = [
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*.html")
        if "{% submit_key %}" in path.read_text()
    ]
    assert len(users) > 20
    for name in users:
        get_template(name)  # an unknown tag raises TemplateSyntaxError


@pytest.fixture
def grid(demo):
    analysis = analysis_of(make_round(), "Bildningsförvaltningen")
    invanare = ListItem.objects.get(round=analysis.round, kind="perspektiv", name="Invånare")
    for position, text in enumerate(["Fler förskollärare", "Större lokaler"]):
        AnalysisItem.objects.create(
            analysis=analysis,
            perspektiv=invanare,
            column=AnalysisColumn.NYA_RESURSER,
            text=text,
            position=position,
        )
    return analysis, invanare, f"/omgangar/2027/analyser/{analysis.forvaltning_id}/"


def rendered_post_forms(html):
    return [form["body"] for form in FORM.finditer(html) if WRITES.search(form["attrs"])]


def test_each_form_of_the_grid_has_a_key_of_its_own(signed_in, grid):
    _analysis, _invanare, url = grid
    html = signed_in("tjp-bildning").get(url).content.decode()
    bodies = [body for body in rendered_post_forms(html) if "csrfmiddlewaretoken" in body]
    # The language switch and signing out have none; every form of the grid has one.
    keys = [FIELD.findall(body) for body in bodies if "set_language" not in body]
    grid_forms = [found for found in keys if found]
    assert len(grid_forms) >= 20  # an add form per cell, move and proposal forms per item
    assert all(len(found) == 1 for found in grid_forms)
    values = [found[0] for found in grid_forms]
    assert len(set(values)) == len(values)


def test_the_cell_an_htmx_add_answers_with_has_a_fresh_key(signed_in, grid):
    _analysis, invanare, url = grid
    sent = str(uuid.uuid4())
    response = signed_in("tjp-bildning").post(
        f"{url}punkter/ny/",
        {
            "perspektiv": invanare.pk,
            "column": AnalysisColumn.NYA_RESURSER.value,
            "text": "Ny punkt",
            "submit_key": sent,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    keys = FIELD.findall(response.content.decode())
    assert keys and sent not in keys
    assert all(KEY.fullmatch(key) for key in keys)


def add_item(client, url, invanare, key, text):
    return client.post(
        f"{url}punkter/ny/",
        {
            "perspektiv": invanare.pk,
            "column": AnalysisColumn.NYA_RESURSER.value,
            "text": text,
            "submit_key": key,
        },
        HTTP_HX_REQUEST="true",
    )


def test_the_same_form_sent_twice_is_answered_once(signed_in, grid):
    analysis, invanare, url = grid
    client = signed_in("tjp-bildning")
    key = str(uuid.uuid4())
    first = add_item(client, url, invanare, key, "Ny punkt")
    again = add_item(client, url, invanare, key, "Ny punkt")
    assert again.status_code == first.status_code == 200
    assert again.content == first.content  # the first answer, byte for byte
    assert analysis.items.filter(text="Ny punkt").count() == 1
    assert AnalysisItem.history.filter(text="Ny punkt").count() == 1


def test_the_same_key_with_other_fields_is_a_submission_of_its_own(signed_in, grid):
    """The form changed after Back and sent with the key it was shown with:
    not a repeat, so it is not answered with the first one's answer."""
    analysis, invanare, url = grid
    client = signed_in("tjp-bildning")
    key = str(uuid.uuid4())
    add_item(client, url, invanare, key, "Ny punkt")
    other = add_item(client, url, invanare, key, "En annan punkt")
    assert other.status_code == 200
    assert "En annan punkt" in other.content.decode()
    assert analysis.items.filter(text__in=["Ny punkt", "En annan punkt"]).count() == 2


def test_a_key_is_the_users_own(signed_in, grid):
    analysis, invanare, url = grid
    key = str(uuid.uuid4())
    add_item(signed_in("tjp-bildning"), url, invanare, key, "Ny punkt")
    add_item(signed_in("chef-bildning"), url, invanare, key, "Ny punkt")
    assert analysis.items.filter(text="Ny punkt").count() == 2


def test_an_answer_with_a_nul_is_kept_as_it_was(signed_in, grid):
    """The answer is kept byte for byte (PostgreSQL's text holds no NUL)."""
    _analysis, invanare, url = grid
    client = signed_in("tjp-bildning")
    key = str(uuid.uuid4())
    first = add_item(client, url, invanare, key, "Punkt\x00med NUL")
    assert add_item(client, url, invanare, key, "Punkt\x00med NUL").content == first.content
