"""Documents in the browser: the controller of the demo asks for the 2026
decision document and the forum compilation with the keyboard, watches the
progress while the worker makes them, and downloads files that open; a
citizen then downloads the published decision document without signing in.
axe on every page, while running and when done.

The worker here is ``generate.run`` in a thread of the test process — what
``manage.py db_worker`` calls for each queued task — so the browser polls a
document that is really being made."""

import io
import re
import threading

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from documents import generate
from documents.models import Document
from tests.browser.conftest import assert_accessible, expect, sign_in, tab_to
from tests.demo_snapshot import load_demo

DETAIL = re.compile(r"/omgangar/2026/dokument/(\d+)/$")


@pytest.fixture
def rounds(demo_site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo(with_round=True)
    return demo_site


def work_on(page) -> threading.Thread:
    """Start the worker on the document the page shows."""
    pk = int(DETAIL.search(page.url).group(1))
    document = Document.objects.get(pk=pk)
    thread = threading.Thread(target=_run, args=(document.pk, document.attempts))
    thread.start()
    return thread


def _run(pk: int, attempt: int) -> None:
    from django.db import connection

    try:
        generate.run(pk, attempt)
    finally:
        connection.close()


def ask_with_keyboard(page, document: str) -> None:
    """Press "Skapa" for ``document`` (the button's hidden rest of its name)."""
    button = page.get_by_role("button", name=re.compile(rf"^Skapa\W+{re.escape(document)}$"))
    tab_to(page, button, 80)
    page.keyboard.press("Enter")
    expect(page).to_have_url(DETAIL)


def test_controller_makes_the_documents_and_a_citizen_downloads_the_decision(page, rounds):
    sign_in(page, "controller")
    page.goto("/omgangar/2026/")
    page.get_by_role("link", name="Dokument: beslutsunderlag och Excel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dokument 2026")
    assert_accessible(page, "the documents page")

    # The decision document: progress while the worker makes it, then the file.
    ask_with_keyboard(page, "Beslutsunderlag (PDF)")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beslutsunderlag (PDF)")
    expect(page.get_by_label("Hur långt dokumentet har kommit")).to_be_visible()
    assert_accessible(page, "a queued document")
    worker = work_on(page)
    link = page.get_by_role("link", name="Hämta beslutsunderlag-2026-v1.pdf")
    expect(link).to_be_visible(timeout=60_000)
    worker.join()
    expect(page.locator("#document-status").get_by_role("status")).to_have_text("Klart.")
    assert_accessible(page, "a finished document")
    with page.expect_download() as download:
        link.click()
    data = download.value.path().read_bytes()
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Beslutsunderlag" in text
    assert f"Sida 2 av {len(reader.pages)}" in text

    # The forum compilation in Excel.
    page.goto("/omgangar/2026/dokument/")
    ask_with_keyboard(page, "Forumsammanställning (Excel)")
    worker = work_on(page)
    link = page.get_by_role("link", name="Hämta forumsammanstallning-2026-v1.xlsx")
    expect(link).to_be_visible(timeout=60_000)
    worker.join()
    with page.expect_download() as download:
        link.click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert workbook.active.max_row > 2

    # The list keeps both versions, with who made them.
    page.goto("/omgangar/2026/dokument/")
    history = page.get_by_role("region", name="Alla versioner")
    expect(history).to_contain_text("Beslutsunderlag (PDF)")
    expect(history).to_contain_text("Forumsammanställning (Excel)")
    assert_accessible(page, "the documents page with versions")

    # A citizen: the published round's decision document, without signing in.
    page.context.clear_cookies()
    page.goto("/oppna-prioriteringar/2026/")
    public_link = page.get_by_role("link", name=re.compile("Beslutsunderlag"))
    expect(public_link).to_be_visible()
    assert_accessible(page, "the public round with its decision document")
    with page.expect_download() as download:
        public_link.click()
    assert download.value.path().read_bytes() == data
