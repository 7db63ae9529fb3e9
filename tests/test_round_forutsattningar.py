"""The förutsättningar: the controller writes their texts and uploads and
removes attachments (checked before they are stored); everyone signed in
downloads them."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rounds.models import Attachment, Forutsattning, ForutsattningKind, User
from tests.factories import make_round
from tests.helpers import CAST, assert_queries_do_not_grow, assert_sent_to_sign_in
from tests.test_round_uploads import MB, PDF, XLSX_TYPE, office_bytes, zip_bomb_bytes

URL = "/omgangar/2027/forutsattningar/"
EVERYONE = list(CAST)
REFUSED = [u for u in EVERYONE if u != "controller"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, name, content, kind="ekonomi", url=URL):
    return client.post(
        url,
        {"action": "upload", "kind": kind, f"{kind}-file": SimpleUploadedFile(name, content)},
    )


def stored_attachment(round, name="Budget.pdf", kind=ForutsattningKind.EKONOMI, content=PDF):
    return Attachment.objects.create(
        forutsattning=round.forutsattningar.get(kind=kind),
        file=ContentFile(content, name="x.pdf"),
        name=name,
        content_type="application/pdf",
        size=len(content),
        uploaded_by=User.objects.get(username="controller"),
    )


# --- the page and the texts ------------------------------------------------


def test_controller_sees_a_text_and_an_upload_form_per_kind(signed_in):
    make_round()
    response = signed_in("controller").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ForutsattningKind:
        assert f'name="{kind.value}"' in html
        assert f'name="{kind.value}-file"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "Högst 10 MB. Tillåtna filtyper: .pdf, .docx" in html


def test_texts_are_saved_and_shown_on_the_round_page(signed_in):
    round = make_round()
    client = signed_in("controller")
    data = {"action": "texts", "demografi": "Fler **äldre**.", "prognoser": "Osäkra."}
    response = client.post(URL, data)
    assert response.status_code == 302
    texts = dict(round.forutsattningar.values_list("kind", "text"))
    assert texts["demografi"] == "Fler **äldre**."
    assert texts["prognoser"] == "Osäkra."
    assert texts["ekonomi"] == ""
    assert "Texterna om förutsättningarna är sparade." in client.get(URL).content.decode()
    html = signed_in("tjp-bildning").get("/omgangar/2027/").content.decode()
    assert "Fler <strong>äldre</strong>." in html
    demografi = round.forutsattningar.get(kind="demografi")
    assert demografi.history.first().history_user.username == "controller"


def test_a_missing_kind_is_created_when_it_gets_text(signed_in):
    round = make_round()
    Forutsattning.objects.filter(round=round, kind="annat").delete()
    signed_in("controller").post(URL, {"action": "texts", "annat": "Övrigt."})
    assert round.forutsattningar.get(kind="annat").text == "Övrigt."


# --- uploads ----------------------------------------------------------------


def test_a_pdf_is_stored_with_its_name_size_type_and_uploader(signed_in, media):
    round = make_round()
    response = upload(signed_in("controller"), "Budget 2027.pdf", PDF)
    assert response.status_code == 302
    assert response["Location"] == URL + "#forutsattning-ekonomi"
    attachment = Attachment.objects.get()
    assert attachment.forutsattning == round.forutsattningar.get(kind="ekonomi")
    assert attachment.name == "Budget 2027.pdf"
    assert attachment.size == len(PDF)
    assert attachment.content_type == "application/pdf"
    assert attachment.uploaded_by.username == "controller"
    assert attachment.file.name.startswith("bilagor/2027/")
    assert attachment.file.name.endswith(".pdf")
    assert (media / attachment.file.name).read_bytes() == PDF


def test_an_xlsx_is_stored(signed_in):
    make_round()
    response = upload(signed_in("controller"), "Prognos.xlsx", office_bytes(".xlsx"), "prognoser")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == XLSX_TYPE
    assert attachment.forutsattning.kind == "prognoser"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Filtypen .exe är inte tillåten. Tillåtna: .pdf"),
        ("budget.pdf", b"MZ\x90\x00", "Filens innehåll stämmer inte med filändelsen .pdf."),
        ("budget.pdf", b"", "Filen är tom."),
        ("data.csv", b"a;\x00b", "Filens innehåll stämmer inte med filändelsen .csv."),
    ],
)
def test_refused_files_are_explained_next_to_the_field_and_not_stored(
    signed_in, media, name, content, message
):
    make_round()
    response = upload(signed_in("controller"), name, content)
    assert response.status_code == 200
    form = response.context["sections"][1]["upload_form"]
    assert form.errors["file"][0].startswith(message)
    html = response.content.decode()
    assert 'id="id_ekonomi-file_error"' in html
    assert not Attachment.objects.exists()
    assert not list(media.rglob("*.*"))


def test_a_zip_bomb_is_refused(signed_in, media):
    make_round()
    response = upload(signed_in("controller"), "Prognos.xlsx", zip_bomb_bytes())
    assert response.status_code == 200
    assert "Filen blir större än 100 MB uppackad" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_over_ten_megabytes_is_not_even_read_to_the_end(signed_in, media):
    make_round()
    response = upload(signed_in("controller"), "stor.pdf", PDF + bytes(11 * MB))
    assert response.status_code == 200
    errors = response.context["sections"][1]["upload_form"].errors["file"]
    assert errors[0].startswith("Filen är för stor (11,0\xa0MB).")
    assert errors[0].endswith("Största tillåtna storlek är 10 MB.")
    assert not Attachment.objects.exists()
    assert not list(media.rglob("*.*"))


def test_no_file_chosen(signed_in):
    make_round()
    response = signed_in("controller").post(URL, {"action": "upload", "kind": "ekonomi"})
    assert response.status_code == 200
    assert "Välj en fil att ladda upp." in response.content.decode()


def test_a_path_in_the_file_name_is_dropped(signed_in):
    make_round()
    upload(signed_in("controller"), "../../etc/Budget.pdf", PDF)
    attachment = Attachment.objects.get()
    assert attachment.name == "Budget.pdf"
    assert ".." not in attachment.file.name


def test_unknown_kind_or_action_is_a_bad_request(signed_in):
    make_round()
    client = signed_in("controller")
    assert upload(client, "a.pdf", PDF, kind="hemligt").status_code == 400
    assert client.post(URL, {"action": "radera-allt"}).status_code == 400
    assert not Attachment.objects.exists()


def test_upload_is_protected_against_csrf(demo, media):
    make_round()
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo["controller"])
    response = upload(client, "Budget.pdf", PDF)
    assert response.status_code == 403
    assert not Attachment.objects.exists()
    # With the token from the page it works.
    client.get(URL)
    token = client.cookies["csrftoken"].value
    response = client.post(
        URL,
        {
            "action": "upload",
            "kind": "ekonomi",
            "ekonomi-file": SimpleUploadedFile("Budget.pdf", PDF),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert Attachment.objects.count() == 1


# --- removing ---------------------------------------------------------------


def test_removing_an_attachment_keeps_it_in_the_history(signed_in, media):
    round = make_round()
    attachment = stored_attachment(round)
    client = signed_in("controller")
    response = client.post(URL, {"action": "remove", "attachment": attachment.pk})
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    removed = Attachment.history.filter(id=attachment.pk, history_type="-").get()
    assert removed.history_user.username == "controller"
    assert removed.name == "Budget.pdf"
    assert (media / attachment.file.name).exists()  # the history can still name the file
    assert "Bilagan ”Budget.pdf” är borttagen." in client.get(URL).content.decode()


def test_an_attachment_of_another_round_cannot_be_removed_here(signed_in):
    other = make_round(2026)
    make_round(2027)
    attachment = stored_attachment(other)
    response = signed_in("controller").post(URL, {"action": "remove", "attachment": attachment.pk})
    assert response.status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_removing_needs_a_valid_attachment(signed_in):
    make_round()
    response = signed_in("controller").post(URL, {"action": "remove", "attachment": "x"})
    assert response.status_code == 404


# --- who may ------------------------------------------------------------------


@pytest.mark.parametrize("username", REFUSED)
def test_only_the_controller_may_edit_forutsattningar(signed_in, username):
    round = make_round()
    attachment = stored_attachment(round)
    client = signed_in(username)
    assert client.get(URL).status_code == 403
    assert upload(client, "Budget.pdf", PDF).status_code == 403
    assert client.post(URL, {"action": "texts", "ekonomi": "x"}).status_code == 403
    assert client.post(URL, {"action": "remove", "attachment": attachment.pk}).status_code == 403
    assert Attachment.objects.count() == 1
    assert round.forutsattningar.get(kind="ekonomi").text == ""


def test_anonymous_is_sent_to_sign_in(client, demo):
    make_round()
    for response in (client.get(URL), upload(client, "Budget.pdf", PDF)):
        assert_sent_to_sign_in(response)
    assert not Attachment.objects.exists()


def test_other_methods_are_not_allowed(signed_in):
    make_round()
    assert signed_in("controller").put(URL).status_code == 405


# --- downloading ----------------------------------------------------------------


@pytest.mark.parametrize("username", EVERYONE)
def test_everyone_signed_in_downloads_an_attachment(signed_in, username):
    round = make_round()
    attachment = stored_attachment(round, name="Befolkning i Malmö.pdf")
    response = signed_in(username).get(f"/omgangar/2027/bilagor/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Befolkning%20i%20Malm%C3%B6.pdf" in disposition


def test_download_of_an_attachment_of_another_round_is_not_found(signed_in):
    other = make_round(2026)
    make_round(2027)
    attachment = stored_attachment(other)
    client = signed_in("tjp-bildning")
    assert client.get(f"/omgangar/2027/bilagor/{attachment.pk}/").status_code == 404
    assert client.get(f"/omgangar/2026/bilagor/{attachment.pk}/").status_code == 200


def test_download_of_a_removed_or_lost_file_is_not_found(signed_in, media):
    round = make_round()
    attachment = stored_attachment(round)
    (media / attachment.file.name).unlink()
    assert signed_in("revisor").get(f"/omgangar/2027/bilagor/{attachment.pk}/").status_code == 404
    assert signed_in("revisor").get("/omgangar/2027/bilagor/999/").status_code == 404


def test_anonymous_cannot_download(client, demo):
    round = make_round()
    attachment = stored_attachment(round)
    response = client.get(f"/omgangar/2027/bilagor/{attachment.pk}/")
    assert_sent_to_sign_in(response)


def test_download_is_get_only(signed_in):
    round = make_round()
    attachment = stored_attachment(round)
    response = signed_in("controller").post(f"/omgangar/2027/bilagor/{attachment.pk}/")
    assert response.status_code == 405


def test_query_count_does_not_grow_with_the_attachments(signed_in):
    round = make_round()

    def grow():
        for kind in ForutsattningKind:
            for i in range(3):
                stored_attachment(round, name=f"{kind}-{i}.pdf", kind=kind)

    assert_queries_do_not_grow(signed_in("controller"), URL, grow)
