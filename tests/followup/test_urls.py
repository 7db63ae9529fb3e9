"""The follow-up's URLs keep the paths and names they had in rounds (issue 14
moved the views to followup/): each reverses to its path, and the path
resolves to the follow-up's view of that name — "perioder" to the periods'
page, not to a period's overview."""

import pytest
from django.urls import resolve, reverse

URLS = [
    ("followup_index", [2026], "/omgangar/2026/uppfoljning/"),
    ("followup_periods", [2026], "/omgangar/2026/uppfoljning/perioder/"),
    ("followup_overview", [2026, "delar"], "/omgangar/2026/uppfoljning/delar/"),
    ("followup_report", [2026, "delar", 7], "/omgangar/2026/uppfoljning/delar/7/"),
    (
        "followup_report_return",
        [2026, "delar", 7],
        "/omgangar/2026/uppfoljning/delar/7/aterlamna/",
    ),
    ("proposal_carry_over", [2026, 7], "/omgangar/2026/forslag/7/for-over/"),
    ("followup_carry_list", [2027], "/omgangar/2027/overforing/"),
    ("round_comparison", [2027], "/omgangar/2027/jamforelse/"),
]


@pytest.mark.parametrize(("name", "args", "path"), URLS, ids=[url[0] for url in URLS])
def test_each_url_keeps_its_path_and_name(name, args, path):
    assert reverse(name, args=args) == path
    match = resolve(path)
    assert match.url_name == name
    assert match.func.__module__.startswith("followup.views.")
