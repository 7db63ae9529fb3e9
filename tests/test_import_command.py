"""``manage.py import_proposals``: exit code, one line per problem, dry run."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from rounds.models import Proposal
from tests.factories import make_round
from tests.test_import_parsing import forum_book, forum_row
from tests.test_import_samples import DATA


@pytest.fixture
def round(demo):
    return make_round(year=2027)


def run(*args):
    out = io.StringIO()
    try:
        call_command("import_proposals", *args, stdout=out)
    except CommandError as error:
        return 1, out.getvalue().splitlines(), str(error)
    return 0, out.getvalue().splitlines(), ""


def test_imports_a_sample_and_ends_with_the_count(round):
    code, lines, _error = run(str(DATA / "forum-sammanstallning.xlsx"), "--round", "2027")
    assert code == 0
    assert lines[-1] == "Importerade 9 förslag."
    assert Proposal.objects.filter(round=round).count() == 9


def test_a_layout_without_nämnd_takes_the_förvaltning_option(round):
    code, lines, _error = run(
        str(DATA / "rangordning-bas.xlsx"),
        "--round",
        "2027",
        "--forvaltning",
        "Socialförvaltningen",
    )
    assert (code, lines[-1]) == (0, "Importerade 4 förslag.")
    assert set(
        Proposal.objects.filter(round=round).values_list("analysis__forvaltning__name", flat=True)
    ) == {"Socialförvaltningen"}


def test_a_grid_imports_items_and_still_ends_with_the_proposal_count(round):
    code, lines, _error = run(
        str(DATA / "verksamhetsanalys-samhallsbyggnad.xlsx"), "--round", "2027"
    )
    assert code == 0
    assert lines[-2:] == ["Importerade 25 analyspunkter.", "Importerade 0 förslag."]


def test_dry_run_says_what_it_would_import_and_stores_nothing(round):
    code, lines, _error = run(
        str(DATA / "forum-sammanstallning.xlsx"), "--round", "2027", "--dry-run"
    )
    assert code == 0
    assert any("rad 3: Fritidsgård NN → Bildningsförvaltningen" in line for line in lines)
    assert lines[-1] == "Torrkörning: skulle importera 9 förslag. Ingenting sparades."
    assert Proposal.objects.count() == 0


def test_problems_one_line_each_and_a_non_zero_exit(round, tmp_path):
    path = tmp_path / "fel.xlsx"
    path.write_bytes(
        forum_book(forum_row(svarighet="Enorm"), forum_row(rank=0), forum_row(namnd="Kultur"))
    )
    code, lines, error = run(str(path), "--round", "2027")
    assert code == 1
    assert len(lines) == 3
    assert lines[0].startswith("Blad ”Sammanställning”, rad 3, kolumn K (Svårighetsgrad): ")
    assert lines[1].startswith("Blad ”Sammanställning”, rad 4, kolumn N (Sammanvägd rangordning): ")
    assert lines[2].startswith("Blad ”Sammanställning”, rad 5, kolumn A (Nämnd): Okänd nämnd")
    assert "Ingenting importerades" in error
    assert Proposal.objects.count() == 0


def test_dry_run_with_problems_also_fails(round, tmp_path):
    path = tmp_path / "fel.xlsx"
    path.write_bytes(forum_book(forum_row(typ="")))
    code, lines, _error = run(str(path), "--round", "2027", "--dry-run")
    assert code == 1
    assert lines == [lines[0]] and "Typ saknas" in lines[0]


def test_a_file_that_is_not_a_workbook_is_one_line(round, tmp_path):
    path = tmp_path / "lista.xlsx"
    path.write_bytes(b"inte en arbetsbok")
    code, lines, _error = run(str(path), "--round", "2027")
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("lista.xlsx: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--round", "1999"], "ingen omgång"),
        (["--round", "2027", "--forvaltning", "Kulturförvaltningen"], "Okänd förvaltning"),
        (["--round", "2027", "--user", "tjp-bildning"], "får inte importera"),
    ],
)
def test_wrong_options_are_refused(round, args, message):
    code, _lines, error = run(str(DATA / "forum-sammanstallning.xlsx"), *args)
    assert code == 1
    assert message in error
    assert Proposal.objects.count() == 0


def test_the_data_folder_is_there():
    assert Path(DATA / "forum-sammanstallning.xlsx").exists()
