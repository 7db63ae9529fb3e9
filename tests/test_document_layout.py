"""How the decision document and the follow-up report lie on the page, laid
out by WeasyPrint for the demo's round 2026: a proper cover (kommun, round,
status, the day it was made, the kommun's logo when one is set) and no
near-empty pages — the sections follow one another (markup.flow)."""

import io
import shutil
import subprocess

import pikepdf
import pytest
from django.utils import timezone
from pypdf import PdfReader

from documents import logo as logo_module
from documents import markup, pdf
from documents.pdf import Layout, Part
from followup.documents.followup import followup_document
from followup.models import FollowUpPeriod, PeriodKind
from ranking.documents import pdf_content
from rounds.models import Round

MONTHS = "januari februari mars april maj juni juli augusti september oktober november december"
# A page of the body holds at least this many lines of text (the table of
# contents has some ten; the old summary's overflow page had four).
FEW_LINES = 8


def long_date(day) -> str:
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


@pytest.fixture
def demo_2026(demo_rounds, db):
    return Round.objects.select_related("kommun").get(budget_year=2026)


def made(layout: Layout) -> bytes:
    data, _pages = pdf.join(
        pdf.render(layout, processes=1),
        label=lambda page, total: f"Sida {page} av {total}",
        title="Prov",
        author="Exempelkommun",
        language="sv",
        cover=layout.front is not None,
    )
    return data


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def images_on(page) -> int:
    """Image XObjects drawn on a page, in its own resources or in a form's."""

    def count(resources) -> int:
        found = 0
        for _name, item in (resources.get("/XObject") or {}).items():
            if item.get("/Subtype") == "/Image":
                found += 1
            elif item.get("/Subtype") == "/Form" and "/Resources" in item:
                found += count(item.Resources)
        return found

    return count(page.obj.get("/Resources") or pikepdf.Dictionary())


def logo_box(data: bytes) -> tuple[float, ...]:
    """Where the cover's dark pixels in its top fifth are (left, top, right,
    bottom, in mm): the logo, drawn at 72 dpi."""
    from PIL import Image

    png = subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "72", "-png", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    top = image.crop((0, 0, image.width, image.height // 5))
    left, upper, right, lower = top.point(lambda v: 255 if v < 100 else 0).getbbox()
    mm = 72 / 25.4
    return (left / mm, upper / mm, right / mm, lower / mm)


def cover_images(data: bytes) -> int:
    with pikepdf.Pdf.open(io.BytesIO(data)) as whole:
        return images_on(whole.pages[0])


# --- the cover --------------------------------------------------------------------------


def front_only(layout: Layout) -> bytes:
    """The front as the renderer makes it (page numbers of no matter)."""
    front = pdf.render_part(layout.front({})).pdf
    return pdf.place_logo(front, layout.logo) if layout.logo else front


def test_the_decision_documents_cover_names_kommun_round_status_and_day(demo_2026):
    text = page_texts(front_only(pdf_content.decision_document(demo_2026)))[0]
    published = demo_2026.forum_result.published_at
    assert "Exempelkommun" in text and "Beslutsunderlag" in text
    assert "Prioriteringsomgång 2026" in text and "Budgetår 2026" in text
    assert f"Publicerat {long_date(timezone.localtime(published))}" in text
    assert f"Framtaget {long_date(timezone.localdate())}" in text


def test_a_draft_says_so_on_its_cover(demo_2026):
    result = demo_2026.forum_result
    result.published_at = None
    result.save()
    round = Round.objects.select_related("kommun").get(pk=demo_2026.pk)
    text = page_texts(front_only(pdf_content.decision_document(round)))[0]
    assert "Utkast – inte publicerat" in text and "Publicerat" not in text


@pytest.fixture
def logo_file(settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    path = tmp_path / "logo.png"
    Image.new("RGBA", (300, 100), (16, 42, 67, 255)).save(path)
    settings.PRIORITERING_LOGO = str(path)
    return path


def test_the_logo_is_on_the_cover_when_the_setting_names_a_file(demo_2026, logo_file):
    layout = pdf_content.decision_document(demo_2026)
    assert layout.logo is not None and 'class="cover-logo"' in layout.front({})
    data = made(layout)
    assert cover_images(data) == 1
    # Fitted in its box at the top left of the page area (18 mm in, 22 mm
    # down, 80 × 22 mm): a 3:1 logo is 66 × 22 mm.
    if shutil.which("pdftoppm"):
        assert logo_box(data) == pytest.approx((18, 22, 84, 44), abs=1)
    # And on the follow-up report's cover.
    period = FollowUpPeriod.objects.get(round=demo_2026, kind=PeriodKind.DELAR)
    report = followup_document(demo_2026, period)
    assert cover_images(front_only(report)) == 1


def test_without_a_logo_the_cover_has_none(demo_2026, settings):
    settings.PRIORITERING_LOGO = ""
    layout = pdf_content.decision_document(demo_2026)
    assert layout.logo is None and 'class="cover-logo"' not in layout.front({})
    assert cover_images(front_only(layout)) == 0


@pytest.mark.parametrize(
    "setting",
    [
        "media/finns-inte.png",
        "https://example.com/logo.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "/etc/hostname",
        "{tmp}/inte-en-bild.png",
        "{tmp}/../utanfor.png",
    ],
)
def test_a_logo_not_to_be_had_is_left_out(settings, tmp_path, setting, caplog):
    from PIL import Image

    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    (media / "inte-en-bild.png").write_text("<svg onload='x'/>")
    Image.new("RGB", (10, 10)).save(tmp_path / "utanfor.png")  # a real image, elsewhere
    settings.PRIORITERING_LOGO = setting.format(tmp=media)
    assert logo_module.cover_logo() is None
    assert "PRIORITERING_LOGO" in caplog.text


def test_a_transparent_png_is_laid_on_white():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (4, 4), (0, 0, 0, 0)).save(out, "PNG")
    data = logo_module.logo_pdf(out.getvalue())
    with pikepdf.Pdf.open(io.BytesIO(data)) as logo:
        (image,) = logo.pages[0].get_images().values()
        assert pikepdf.PdfImage(image).as_pil_image().getpixel((0, 0)) == (255, 255, 255)


# --- no near-empty pages ---------------------------------------------------------------


def test_the_decision_document_has_no_near_empty_page(demo_2026):
    texts = page_texts(made(pdf_content.decision_document(demo_2026)))
    thin = [
        (number, lines(text)) for number, text in enumerate(texts, 1) if lines(text) < FEW_LINES
    ]
    assert thin == []
    # The budget line follows the summary rather than opening a page of its own.
    summary = next(i for i, text in enumerate(texts) if "Sammanfattning" in text and i > 1)
    assert "Budgetlinjen" in texts[summary] + texts[summary + 1]


@pytest.mark.parametrize("kind", [PeriodKind.TERTIAL_1, PeriodKind.DELAR, PeriodKind.ARSBOKSLUT])
def test_the_follow_up_report_is_dense(demo_2026, kind):
    period = FollowUpPeriod.objects.get(round=demo_2026, kind=kind)
    texts = page_texts(made(followup_document(demo_2026, period)))
    thin = [
        (number, lines(text)) for number, text in enumerate(texts, 1) if lines(text) < FEW_LINES
    ]
    assert thin == []
    # Cover, contents, the upright sections, the two wide tables and the
    # genomförande after them: 11 proposals take at most six pages (eight,
    # each section on its own).
    assert len(texts) <= 6
    # The missing reports follow the cost per nämnd on an upright page, and
    # the deviations and every proposal share a landscape one.
    missing = next(i for i, text in enumerate(texts) if "Rapporter som saknas" in text and i > 1)
    assert "Kostnad mot budget" in texts[missing] or "Kostnad mot budget" in texts[missing - 1]
    deviations = next(i for i, t in enumerate(texts) if "Avvikelser och föreslagna" in t and i > 1)
    assert "Alla förslag som följs upp" in texts[deviations]
    # The genomförande follows every proposal's table, on a landscape page too.
    implemented = next(
        i for i, text in enumerate(texts) if "Genomförande i verksamhetsplan" in text and i > 1
    )
    assert implemented >= deviations


def test_flow_joins_a_short_section_to_the_part_before_it():
    header = markup.Header("Kommun", "Dokument")

    def part(body, sheet="tables"):
        return Part(markup.document(body, title="t", header=header, sheet=sheet), reuse=True)

    joined = markup.flow([[part("<h2>A</h2>")], [part("<h2>B</h2>"), part("<p>B2</p>")]])
    assert len(joined) == 2
    assert "<h2>A</h2><h2>B</h2>" in joined[0].html and joined[0].html.endswith("</html>")
    assert "<p>B2</p>" in joined[1].html  # a further slice stays a part of its own
    other_sheet = markup.flow([[part("<h2>A</h2>")], [part("<h2>C</h2>", sheet="pages")]])
    assert len(other_sheet) == 2
    too_big = markup.flow([[part("<h2>A</h2>")], [part("<p>x</p>" * 100)]], limit=500)
    assert len(too_big) == 2
