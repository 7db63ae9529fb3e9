"""The checks the other browser tests rely on can fail: axe finds a known
violation, and the console watch sees a CSP violation and a JavaScript error."""

import pytest

from tests.browser.conftest import assert_accessible, sign_in


def test_axe_reports_a_violation_with_its_id_target_and_html(page):
    page.set_content(
        '<!DOCTYPE html><html lang="sv"><head><title>Prov</title></head>'
        '<body><main><h1>Prov</h1><input type="text" id="namnlos"></main></body></html>'
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "a page with an unlabelled field")
    message = str(failure.value)
    assert "- label (critical)" in message
    assert "target: #namnlos" in message
    assert '<input type="text" id="namnlos">' in message


def test_console_watch_sees_csp_violations_and_script_errors(page, console):
    sign_in(page, "revisor")
    console.assert_clean("the start page")

    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            "() => document.querySelector('main')"
            ".insertAdjacentHTML('beforeend', '<p style=\"color: red\">inline</p>')"
        )
    with page.expect_event("pageerror"):
        page.evaluate("() => setTimeout(() => { throw new Error('provfel'); })")

    problems = console.take()
    assert any("style-src" in problem for problem in problems), problems
    assert any("provfel" in problem for problem in problems), problems
