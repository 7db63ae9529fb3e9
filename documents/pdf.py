"""Rendering a document's HTML parts to one PDF.

WeasyPrint is single-threaded and keeps what it allocates until its process
ends, and its time grows with the pages of one layout. So a document comes as
a :class:`Layout`: many small parts (the summary, slices of the long tables,
slices of the proposal pages), each a complete HTML document, laid out in
separate processes — as many at once as there are cores to spare — which end
with the document and free their memory.

The front (cover and table of contents) is laid out last: only then is it
known on which page each section begins, in the whole document. Each part
reports the page of the elements the table of contents names (WeasyPrint's
``page.anchors``), and the front is given the page numbers to print. The parts
are joined with qpdf (pikepdf), and "Sida X av Y" is stamped on every page afterwards,
since no single layout knows the whole document's page count.

Parts marked ``reuse`` (the proposal pages, which rarely change between two
versions of a document) are kept in a cache by their HTML's hash, so the next
version lays out only what changed.

The renderer fetches nothing: every URL a part names is refused, so a document
cannot reach the network or the file system (the HTML is our own, but texts in
it come from users).
"""

import hashlib
import io
import json
import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

A4_WIDTH_PT = 595.28
MM = 72 / 25.4
NUMBER_RIGHT = 18 * MM  # the page number's right edge, from the paper's edge
NUMBER_BASELINE = 10 * MM  # its baseline, from the bottom edge
NUMBER_SIZE = 8
FONT_NAME = "/PrioriteringSidnr"
# Helvetica's advance widths (per 1000 em) for what a page number can hold, so
# the stamp can be right-aligned without a font library; others count as 556.
HELVETICA_WIDTHS = {
    " ": 278,
    "S": 667,
    "P": 667,
    "a": 556,
    "d": 556,
    "e": 556,
    "f": 278,
    "g": 556,
    "i": 222,
    "o": 556,
    "v": 500,
    "/": 278,
}
# The front is the cover and the table of contents: two pages.
FRONT_PAGES = 2
# The box the cover leaves for the kommun's logo (print_front.css
# .cover-logo, the first thing in the page area of print.css's margins): its
# left and top edges from the paper's, its size. The logo is fitted in it,
# in the top left corner.
LOGO_LEFT = 18 * MM
LOGO_TOP = 22 * MM
LOGO_WIDTH = 80 * MM
LOGO_HEIGHT = 22 * MM
# Cached parts not used for this long are removed.
CACHE_DAYS = 30


class RenderError(Exception):
    """A part could not be laid out; the document is not made."""


@dataclass
class Part:
    html: str  # a complete HTML document
    reuse: bool = False  # an identical part may come from the cache


@dataclass
class Layout:
    parts: list[Part]
    # Element ids (in any part) whose page the front needs.
    toc: list[str] = field(default_factory=list)
    # The cover and table of contents, given {id: page in the whole document}.
    front: Callable[[dict[str, int]], str] | None = None
    # The kommun's logo as a one-page PDF (documents.logo), drawn on the
    # cover in the box it leaves (LOGO_*): WeasyPrint is given no image.
    logo: bytes | None = None


@dataclass
class Laid:
    """One part laid out: its PDF, its page count, the page (0-based, within
    the part) of each wanted id found in it."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]


def render_part(html: str, wanted: tuple[str, ...] = ()) -> Laid:
    """Lay out one part. Runs in a render process."""
    from weasyprint import HTML  # (only render processes need it)
    from weasyprint.urls import URLFetcher

    class RefuseAll(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"Dokument hämtar inga adresser: {url[:80]}")

    document = HTML(string=html, url_fetcher=RefuseAll()).render()
    anchors: dict[str, int] = {}
    if wanted:
        names = set(wanted)
        for index, page in enumerate(document.pages):
            for name in names.intersection(page.anchors):
                anchors.setdefault(name, index)
    return Laid(document.write_pdf(), len(document.pages), anchors)


def _pool(processes: int) -> ProcessPoolExecutor:
    # "spawn": a fresh interpreter that holds nothing of the worker's (no
    # database connections, no Django state), and ends with the document.
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=processes, mp_context=context)


class PartCache:
    """Laid-out parts by the hash of their HTML, as files: ``<hash>.pdf`` and
    ``<hash>.json`` (pages, anchors). Written whole then renamed, so a reader
    never sees half a file; any unreadable entry counts as missing."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    @staticmethod
    def key(html: str, wanted: tuple[str, ...]) -> str:
        from weasyprint import __version__  # a new WeasyPrint lays out anew

        text = f"{__version__}\n{','.join(wanted)}\n{html}"
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> Laid | None:
        try:
            meta = json.loads((self.directory / f"{key}.json").read_text())
            data = (self.directory / f"{key}.pdf").read_bytes()
        except (OSError, ValueError):
            return None
        if not data.startswith(b"%PDF-") or len(data) != meta.get("size"):
            return None
        os.utime(self.directory / f"{key}.json")  # used: kept longer
        return Laid(data, meta["pages"], meta["anchors"])

    def put(self, key: str, laid: Laid) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        meta = {"pages": laid.pages, "anchors": laid.anchors, "size": len(laid.pdf)}
        for suffix, content in ((".pdf", laid.pdf), (".json", json.dumps(meta).encode())):
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            os.replace(temporary, self.directory / f"{key}{suffix}")

    def prune(self, days: int = CACHE_DAYS) -> None:
        """Remove the entries not used for ``days`` days, and stray temporaries."""
        limit = time.time() - days * 86400
        for meta in self.directory.glob("*.json"):
            if meta.stat().st_mtime < limit:
                meta.unlink(missing_ok=True)
                meta.with_suffix(".pdf").unlink(missing_ok=True)
        for stray in self.directory.glob("*.tmp"):
            if stray.stat().st_mtime < time.time() - 3600:
                stray.unlink(missing_ok=True)


def render(
    layout: Layout,
    *,
    processes: int = 2,
    progress: Callable[[int, int], None] | None = None,
    cache: PartCache | None = None,
) -> list[bytes]:
    """The PDF of each part, the front first (if any). ``progress(done, total)``
    is called as parts finish, and also while waiting, so that a long part
    still shows signs of life."""
    if not layout.parts:
        raise RenderError("Dokumentet har inget innehåll.")
    wanted = tuple(layout.toc)
    laid: list[Laid | None] = [None] * len(layout.parts)
    todo: list[int] = []
    keys: dict[int, str] = {}
    for index, part in enumerate(layout.parts):
        if part.reuse and cache is not None:
            keys[index] = cache.key(part.html, wanted)
            laid[index] = cache.get(keys[index])
        if laid[index] is None:
            todo.append(index)
    total = len(todo) + (1 if layout.front else 0)
    if progress:
        progress(0, total)
    with _pool(max(1, min(processes, len(todo) or 1))) as pool:
        futures = {pool.submit(render_part, layout.parts[i].html, wanted): i for i in todo}
        _wait_all(futures, laid, progress, total)
        for index, key in keys.items():
            if index in todo:
                cache.put(key, laid[index])
        pdfs = [item.pdf for item in laid]
        if layout.front is None:
            return pdfs
        front = _front(pool, layout, laid)
    if layout.logo:
        front = place_logo(front, layout.logo)
    if progress:
        progress(total, total)
    return [front, *pdfs]


def _wait_all(futures: dict, laid: list, progress, total: int) -> None:
    pending = set(futures)
    while pending:
        finished, pending = wait(pending, timeout=5, return_when=FIRST_COMPLETED)
        for future in finished:
            try:
                laid[futures[future]] = future.result()
            except Exception as error:
                for other in pending:
                    other.cancel()
                raise RenderError(str(error)) from error
        if progress:
            progress(len(futures) - len(pending), total)


def page_numbers(layout: Layout, laid: list[Laid], front_pages: int) -> dict[str, int]:
    """The page (1-based, in the whole document) on which each wanted id is."""
    pages: dict[str, int] = {}
    offset = front_pages
    for part in laid:
        for name, index in part.anchors.items():
            pages.setdefault(name, offset + index + 1)
        offset += part.pages
    return pages


def _front(pool, layout: Layout, laid: list[Laid]) -> bytes:
    """Lay out the front with the page numbers; should it not take the
    expected pages, once more with the numbers it does take."""
    front_pages = FRONT_PAGES
    for _attempt in range(2):
        html = layout.front(page_numbers(layout, laid, front_pages))
        try:
            front = pool.submit(render_part, html).result()
        except Exception as error:
            raise RenderError(str(error)) from error
        if front.pages == front_pages:
            return front.pdf
        front_pages = front.pages
    raise RenderError(f"Framsidan blev {front.pages} sidor, inte {FRONT_PAGES}.")


def place_logo(front: bytes, logo: bytes) -> bytes:
    """The front with ``logo`` (a one-page PDF) drawn on its first page, as
    large as its box allows and in the box's top left corner."""
    whole = pikepdf.Pdf.open(io.BytesIO(front))
    image = pikepdf.Pdf.open(io.BytesIO(logo))
    source = image.pages[0]
    box = source.mediabox
    width, height = float(box[2] - box[0]), float(box[3] - box[1])
    scale = min(LOGO_WIDTH / width, LOGO_HEIGHT / height)
    cover = whole.pages[0]
    top = float(cover.mediabox[3]) - LOGO_TOP
    rect = pikepdf.Rectangle(LOGO_LEFT, top - height * scale, LOGO_LEFT + width * scale, top)
    cover.add_overlay(source, rect)
    out = io.BytesIO()
    whole.save(out)
    return out.getvalue()


def _text_width(text: str, size: float) -> float:
    return sum(HELVETICA_WIDTHS.get(char, 556) for char in text) * size / 1000


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def stamp_page_numbers(pdf, label: Callable[[int, int], str], *, from_page: int = 1) -> None:
    """Write ``label(page, pages)`` at the bottom right of every page from
    ``from_page`` on (the cover has none), in Helvetica (a standard font, so
    nothing is embedded), grey like the header."""
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    pages = len(pdf.pages)
    for number, page in enumerate(pdf.pages, start=1):
        if number < from_page:
            continue
        text = label(number, pages)
        width = float(page.mediabox[2] - page.mediabox[0])
        x = width - NUMBER_RIGHT - _text_width(text, NUMBER_SIZE)
        # The page's own drawing is wrapped in q … Q so that whatever state
        # it leaves behind cannot move or colour the stamp.
        page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
        page.contents_add(
            pikepdf.Stream(
                pdf,
                b"\nQ q 0.3 g BT %s %d Tf %.2f %.2f Td %s Tj ET Q\n"
                % (FONT_NAME.encode(), NUMBER_SIZE, x, NUMBER_BASELINE, _pdf_string(text)),
            ),
            prepend=False,
        )
        resources = page.obj.get("/Resources")
        if resources is None:
            page.obj.Resources = resources = pikepdf.Dictionary()
        if "/Font" not in resources:
            resources.Font = pikepdf.Dictionary()
        resources.Font[FONT_NAME] = font


def _outline(items, pages: dict, offset: int) -> list:
    """The bookmarks of one part (WeasyPrint makes them from the headings),
    pointing at the same pages in the whole document."""
    copied = []
    for item in items:
        target = None
        destination = item.destination
        if isinstance(destination, pikepdf.Array) and len(destination):
            target = pages.get(destination[0].objgen)
        copy = pikepdf.OutlineItem(item.title, offset + target if target is not None else offset)
        copy.children.extend(_outline(item.children, pages, offset))
        copied.append(copy)
    return copied


def join(
    pdfs: list[bytes],
    *,
    label: Callable[[int, int], str],
    title: str,
    author: str,
    language: str,
    cover: bool = False,
) -> tuple[bytes, int]:
    """One PDF of the parts, with their bookmarks, page-numbered (but for a
    cover), with its metadata; and its page count. (qpdf, through pikepdf:
    joining 1,700 pages takes well under a second.)"""
    whole = pikepdf.Pdf.new()
    bookmarks = []
    for data in pdfs:
        part = pikepdf.Pdf.open(io.BytesIO(data))
        pages = {page.obj.objgen: index for index, page in enumerate(part.pages)}
        with part.open_outline() as outline:
            bookmarks += _outline(outline.root, pages, len(whole.pages))
        whole.pages.extend(part.pages)
    with whole.open_outline() as outline:
        outline.root.extend(bookmarks)
    stamp_page_numbers(whole, label, from_page=2 if cover else 1)
    with whole.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = title
        meta["dc:creator"] = [author]
        meta["xmp:CreatorTool"] = "Prioritering"
    whole.docinfo["/Title"] = title
    whole.docinfo["/Author"] = author
    whole.docinfo["/Creator"] = "Prioritering"
    whole.Root.Lang = pikepdf.String(language)
    out = io.BytesIO()
    whole.save(out)
    return out.getvalue(), len(whole.pages)
