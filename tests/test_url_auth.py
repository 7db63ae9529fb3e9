"""Every URL of the site, walked: anonymous visitors are sent to sign in except
on the few public pages, and each role gets exactly the answer the access rules
give. A new URL without a row here fails the suite."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

LOGIN = "/konto/logga-in/"

# Public pages: (url name) -> why anyone may see it.
PUBLIC = {
    "login": "the sign-in page",
    "accessibility": "the accessibility statement must be public (DOS-lagen)",
    "health": "the load balancer's health check",
    "set_language": "choosing a language before signing in",
}

# Sample arguments for every URL pattern that takes any, by name.
SAMPLE_KWARGS: dict[str, dict] = {}

# Argument names used by the Django admin's patterns.
ADMIN_SAMPLE = {
    "object_id": "1",
    "id": "1",
    "app_label": "rounds",
    "content_type_id": "1",
    "history_id": "1",
    "uidb64": "MQ",
    "token": "x",
    "url": "x",
}


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else prefix
            yield from walk(entry.url_patterns, namespace if entry.namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry


def all_urls():
    urls = []
    for name, pattern in walk(get_resolver().url_patterns):
        arg_names = list(pattern.pattern.regex.groupindex)
        if name.startswith("admin:"):
            kwargs = {arg: ADMIN_SAMPLE[arg] for arg in arg_names}
        elif arg_names:
            assert name in SAMPLE_KWARGS, f"URL {name} needs sample arguments in SAMPLE_KWARGS"
            kwargs = SAMPLE_KWARGS[name]
        else:
            kwargs = {}
        regex = pattern.pattern.regex
        args = ["1"] * regex.groups if name.startswith("admin:") and not regex.groupindex else []
        urls.append((name, reverse(name, args=args or None, kwargs=kwargs or None)))
    return urls


URLS = all_urls()


def test_the_walk_finds_the_site():
    names = {name for name, _ in URLS}
    assert {"start", "organisation", "people", "login", "admin:index"} <= names


@pytest.mark.parametrize(("name", "url"), URLS, ids=[name for name, _ in URLS])
def test_anonymous_is_sent_to_sign_in_unless_public(db, client, name, url):
    if name in PUBLIC:
        response = client.get(url)
        assert response.status_code in (200, 302, 405)
        if response.status_code == 302:
            assert not response["Location"].startswith(LOGIN)
        return
    for method in ("get", "post"):
        response = getattr(client, method)(url, follow=True)
        where = f"{method.upper()} {url}"
        if response.status_code == 405:
            continue
        assert response.redirect_chain, where
        assert response.redirect_chain[-1][0].startswith(LOGIN), where
        assert response.status_code == 200, where


# Expected status per signed-in user for each of our own pages (GET).
ALL = {
    "admin": 200,
    "controller": 200,
    "chef-bildning": 200,
    "tjp-bildning": 200,
    "tjp-social": 200,
    "ledamot-bildning": 200,
    "forum-1": 200,
    "revisor": 200,
}
ONLY = lambda *allowed: {user: 200 if user in allowed else 403 for user in ALL}  # noqa: E731

ROLE_MATRIX = {
    "start": ALL,
    "organisation": ALL,
    "people": ONLY("admin", "controller"),
    "password_change": ALL,
    "admin:index": ONLY("admin"),
    "accessibility": ALL,
    "health": ALL,
}


def test_every_own_page_has_a_row_in_the_role_matrix():
    own = {
        name
        for name, _ in URLS
        if not name.startswith("admin:") and name not in {"login", "logout", "set_language"}
    }
    assert own <= set(ROLE_MATRIX), f"add rows for: {sorted(own - set(ROLE_MATRIX))}"


@pytest.mark.parametrize("username", sorted(ALL))
@pytest.mark.parametrize("name", sorted(ROLE_MATRIX))
def test_role_matrix(signed_in, name, username):
    client = signed_in(username)
    response = client.get(reverse(name), follow=True)
    assert response.status_code == ROLE_MATRIX[name][username]


@pytest.mark.parametrize("username", sorted(set(ALL) - {"admin"}))
def test_admin_pages_refuse_everyone_but_the_administrator(signed_in, username):
    client = signed_in(username)
    for url in ("/admin/rounds/user/", "/admin/rounds/membership/add/", "/admin/rounds/namnd/"):
        assert client.get(url, follow=True).status_code == 403, url
        assert client.post(url, {}, follow=True).status_code == 403, url


def test_admin_login_sends_to_the_sign_in_page_and_back(demo, client, demo_password):
    response = client.get("/admin/rounds/user/", follow=True)
    assert response.redirect_chain[-1][0] == f"{LOGIN}?next=/admin/rounds/user/"
    response = client.post(
        response.redirect_chain[-1][0],
        {"username": "admin", "password": demo_password, "next": "/admin/rounds/user/"},
    )
    assert response["Location"] == "/admin/rounds/user/"
    assert client.get("/admin/login/?next=/admin/rounds/user/")["Location"] == "/admin/rounds/user/"
