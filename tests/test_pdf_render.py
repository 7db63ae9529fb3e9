"""The renderer: parts laid out in separate processes, the front laid out last
with the page on which each section begins, joined in order, every page but
the cover numbered "Sida X av Y", reusable parts taken from the cache, and no
URL ever fetched."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from documents import pdf
from documents.pdf import Layout, Part


def part(title: str, pages: int, extra: str = "", ids: bool = False) -> str:
    body = "".join(
        f"<section style='break-before: page'{f' id={title.lower()}-{n}' if ids else ''}>"
        f"<h1>{title} {n}</h1><p>Text.</p></section>"
        for n in range(1, pages + 1)
    )
    return (
        "<html lang='sv'><head><style>@page { size: A4; margin: 20mm }"
        f"</style></head><body>{body}{extra}</body></html>"
    )


def front(pages: dict[str, int]) -> str:
    """A cover, then a table of contents with the pages it was given."""
    toc = "".join(f"<p>{name} {page}</p>" for name, page in sorted(pages.items()))
    return (
        "<html lang='sv'><head><style>@page { size: A4; margin: 20mm }</style></head><body>"
        "<h1>Omslag 1</h1><section style='break-before: page'><h1>Innehåll</h1>"
        f"{toc}</section></body></html>"
    )


LAYOUT = Layout(
    parts=[Part(part("Sammanfattning", 2, ids=True)), Part(part("Förslag", 3, ids=True), True)],
    toc=["sammanfattning-1", "förslag-1", "förslag-3"],
    front=front,
)


def laid_out(layout, **kwargs):
    progress: list = []
    pdfs = pdf.render(
        layout,
        processes=2,
        progress=lambda done, total: progress.append((done, total)),
        **kwargs,
    )
    data, pages = pdf.join(
        pdfs,
        label=lambda page, total: f"Sida {page} av {total}",
        title="Beslutsunderlag – Prioriteringsomgång 2026",
        author="Exempel kommun",
        language="sv",
        cover=layout.front is not None,
    )
    return data, pages, progress


@pytest.fixture(scope="module")
def joined():
    return laid_out(LAYOUT)


def test_the_front_comes_first_with_the_page_of_each_section(joined):
    data, pages, progress = joined
    reader = PdfReader(io.BytesIO(data))
    assert pages == len(reader.pages) == 7
    texts = [page.extract_text() for page in reader.pages]
    assert [t.split("\n")[0] for t in texts] == [
        "Omslag 1",
        "Innehåll",
        "Sammanfattning 1",
        "Sammanfattning 2",
        "Förslag 1",
        "Förslag 2",
        "Förslag 3",
    ]
    # The table of contents: where each named element is, in the whole document.
    assert "förslag-1 5" in texts[1]
    assert "förslag-3 7" in texts[1]
    assert "sammanfattning-1 3" in texts[1]
    assert progress[-1] == (3, 3)  # two parts and the front


def test_every_page_but_the_cover_is_numbered(joined):
    reader = PdfReader(io.BytesIO(joined[0]))
    texts = [page.extract_text() for page in reader.pages]
    assert "Sida" not in texts[0]
    for number, text in enumerate(texts[1:], start=2):
        assert f"Sida {number} av 7" in text


def test_metadata_and_language(joined):
    reader = PdfReader(io.BytesIO(joined[0]))
    assert reader.metadata.title == "Beslutsunderlag – Prioriteringsomgång 2026"
    assert reader.metadata.author == "Exempel kommun"
    assert reader.trailer["/Root"]["/Lang"] == "sv"


def test_the_stamp_sits_at_the_bottom_right(joined):
    reader = PdfReader(io.BytesIO(joined[0]))
    found = []

    def visit(text, cm, tm, font, size):
        if text.startswith("Sida"):
            found.append((tm[4], tm[5]))

    reader.pages[1].extract_text(visitor_text=visit)
    ((x, y),) = found
    assert 400 < x < 595 - 18 * pdf.MM  # right half, inside the margin
    assert y == pytest.approx(10 * pdf.MM, abs=1)


def test_a_front_longer_than_expected_is_laid_out_again_with_its_own_length():
    def long_front(pages):
        toc = "".join(f"<p>{name} {page}</p>" for name, page in sorted(pages.items()))
        return (
            "<html><body><h1>Omslag</h1><section style='break-before: page'>"
            f"{toc}</section><section style='break-before: page'>Mer</section></body></html>"
        )

    layout = Layout(parts=[Part(part("Del", 1, ids=True))], toc=["del-1"], front=long_front)
    data, pages, _ = laid_out(layout)
    assert pages == 4
    assert "del-1 4" in PdfReader(io.BytesIO(data)).pages[1].extract_text()


def test_reusable_parts_come_from_the_cache_the_second_time(tmp_path, monkeypatch):
    cache = pdf.PartCache(tmp_path)
    layout = Layout(parts=[Part(part("Ett", 1)), Part(part("Två", 2), reuse=True)])
    _, _, progress = laid_out(layout, cache=cache)
    assert progress[-1] == (2, 2)
    assert len(list(tmp_path.glob("*.pdf"))) == 1  # only the reusable part

    second, _, progress = laid_out(layout, cache=cache)
    assert progress[-1] == (1, 1)  # the reusable part was not laid out again
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(second)).pages]
    assert [t.split("\n")[0] for t in texts] == ["Ett 1", "Två 1", "Två 2"]

    # A broken entry counts as missing: laid out again, and replaced.
    (entry,) = tmp_path.glob("*.pdf")
    entry.write_bytes(b"%PDF-half")
    _, _, progress = laid_out(layout, cache=cache)
    assert progress[-1] == (2, 2)
    assert entry.read_bytes() != b"%PDF-half"


def test_the_cache_forgets_what_has_not_been_used(tmp_path):
    import os
    import time

    cache = pdf.PartCache(tmp_path)
    laid = pdf.Laid(b"%PDF-1.7 x", 1, {})
    cache.put("gammal", laid)
    cache.put("ny", laid)
    old = time.time() - 31 * 86400
    os.utime(tmp_path / "gammal.json", (old, old))
    cache.prune(days=30)
    assert cache.get("gammal") is None
    assert cache.get("ny") == laid


def test_no_url_is_fetched(tmp_path):
    """A style sheet on disk that would add a word, were it read."""
    secret = tmp_path / "secret.css"
    secret.write_text("body::after { content: 'hemligt' }")
    html = part("Sida", 1).replace(
        "</head>", f"<link rel='stylesheet' href='file://{secret}'></head>"
    )
    assert "hemligt" in PdfReader(io.BytesIO(_weasyprint_as_is(html))).pages[0].extract_text()
    (data,) = pdf.render(Layout(parts=[Part(html)]), processes=1)
    assert "hemligt" not in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def _weasyprint_as_is(html: str) -> bytes:
    """What WeasyPrint would do left to itself (to prove the test can fail)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def test_a_part_that_cannot_be_laid_out_fails_the_document():
    with pytest.raises(pdf.RenderError):
        pdf.render(Layout(parts=[Part(part("Bra", 1)), Part(None)]), processes=1)
    with pytest.raises(pdf.RenderError):
        pdf.render(Layout(parts=[]), processes=1)


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs pdftoppm (poppler-utils)")
def test_a_page_renders_to_png(joined, tmp_path):
    source = tmp_path / "doc.pdf"
    source.write_bytes(joined[0])
    subprocess.run(
        ["pdftoppm", "-f", "3", "-l", "3", "-r", "30", "-png", str(source), str(tmp_path / "p")],
        check=True,
    )
    (png,) = tmp_path.glob("p-*.png")
    assert png.read_bytes().startswith(b"\x89PNG")


def test_the_bookmarks_of_every_part_lead_to_their_pages(joined):
    reader = PdfReader(io.BytesIO(joined[0]))
    marks = {
        item.title: reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    }
    # WeasyPrint makes a bookmark of every heading; 0-based page numbers.
    assert marks["Sammanfattning 1"] == 2
    assert marks["Förslag 1"] == 4
    assert marks["Förslag 3"] == 6
