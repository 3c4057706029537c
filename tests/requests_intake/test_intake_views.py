"""The intake pages: create, edit and delete a draft proposal, and the proposal list."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from requests_intake.models import ApplicationRequest, Attachment, AttachmentKind
from workflow import demo
from workflow.states import State

REQUIRED = "Bidang ini tidak boleh kosong."
NOT_PDF = "Isi berkas bukan jenis yang diizinkan (PDF)."


def form_data(**overrides) -> dict:
    """What the browser posts for a valid proposal (unchecked boxes are simply absent)."""
    data = {}
    for name, value in demo.proposal_data(**overrides).items():
        if value is True:
            data[name] = "on"
        elif value is False or value is None:
            continue
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def letter(content: bytes | None = None, name: str = "surat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else demo.sample_pdf("Surat"))


def login_redirect(url: str) -> str:
    return f"{reverse('login')}?next={url}"


def letters(req) -> list[Attachment]:
    return list(
        Attachment.objects.filter(request=req, kind=AttachmentKind.REQUEST_LETTER).order_by(
            "version"
        )
    )


def read(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


def download(client, attachment: Attachment) -> bytes:
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# --- create -------------------------------------------------------------------------------


class TestCreateAccess:
    def test_anonymous_get_is_sent_to_login(self, anon, db):
        url = reverse("requests_intake:create")
        response = anon.get(url)
        assert response.status_code == 302
        assert response.url == login_redirect(url)

    def test_anonymous_post_is_sent_to_login_and_saves_nothing(self, anon, users):
        url = reverse("requests_intake:create")
        response = anon.post(url, {**form_data(), "letter_file": letter()})
        assert response.status_code == 302
        assert response.url == login_redirect(url)
        assert ApplicationRequest.objects.count() == 0

    @pytest.mark.parametrize("role", ["kasi", "kabid", "kadis", "prakom", "admin"])
    def test_officials_cannot_open_the_form(self, clients, role):
        assert clients[role].get(reverse("requests_intake:create")).status_code == 403

    @pytest.mark.parametrize("role", ["kasi", "kabid", "kadis", "prakom", "admin"])
    def test_officials_cannot_create(self, clients, role):
        response = clients[role].post(
            reverse("requests_intake:create"), {**form_data(), "letter_file": letter()}
        )
        assert response.status_code == 403
        assert ApplicationRequest.objects.count() == 0
        assert Attachment.objects.count() == 0

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_other_methods_are_refused(self, clients, method):
        response = getattr(clients["pemohon"], method)(reverse("requests_intake:create"))
        assert response.status_code == 405

    def test_pemohon_sees_the_empty_form(self, clients):
        response = clients["pemohon"].get(reverse("requests_intake:create"))
        assert response.status_code == 200
        assert b'name="letter_file"' in response.content
        assert b'name="app_name"' in response.content


class TestCreate:
    def test_creates_a_draft_of_the_users_unit_with_the_letter_as_version_1(self, clients, users):
        content = demo.sample_pdf("Surat permintaan Dinkes")
        response = clients["pemohon"].post(
            reverse("requests_intake:create"),
            {**form_data(app_name="SIMPUS Terpadu"), "letter_file": letter(content)},
        )
        req = ApplicationRequest.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("requests_intake:detail", args=[req.pk])
        assert req.state == State.DRAFT
        assert req.registration_number is None
        assert req.unit == users["pemohon"].unit
        assert req.created_by == users["pemohon"]
        assert req.app_name == "SIMPUS Terpadu"
        assert req.user_count == 25
        assert req.has_personal_data is True
        assert req.has_sensitive_personal_data is False
        assert req.contact_email == "siti@example.go.id"
        assert req.letter_date == timezone.localdate() - datetime.timedelta(days=3)
        [attachment] = letters(req)
        assert attachment.version == 1
        assert attachment.content_type == "application/pdf"
        assert attachment.original_name == "surat.pdf"
        assert attachment.uploaded_by == users["pemohon"]
        assert attachment.state_at_upload == State.DRAFT
        assert attachment.size == len(content)
        assert read(attachment) == content

    def test_the_unit_cannot_be_chosen_by_the_form(self, clients, users, units):
        clients["pemohon"].post(
            reverse("requests_intake:create"),
            {**form_data(), "unit": units["disdik"].pk, "letter_file": letter()},
        )
        assert ApplicationRequest.objects.get().unit == units["dinkes"]

    def test_a_draft_may_be_saved_before_the_letter_is_attached(self, clients):
        response = clients["pemohon"].post(reverse("requests_intake:create"), form_data())
        req = ApplicationRequest.objects.get()
        assert response.status_code == 302
        assert letters(req) == []

    def test_the_new_draft_page_shows_the_success_message(self, clients):
        response = clients["pemohon"].post(
            reverse("requests_intake:create"), {**form_data(), "letter_file": letter()}, follow=True
        )
        assert response.status_code == 200
        assert "Draf usulan disimpan. Periksa lalu ajukan." in response.content.decode()


class TestCreateInvalidInput:
    def post(self, client, data, **files):
        return client.post(reverse("requests_intake:create"), {**data, **files})

    def assert_refused(self, response, *messages_):
        assert response.status_code == 200
        html = response.content.decode()
        assert "Periksa kembali isian berikut:" in html
        for message in messages_:
            assert message in html
        assert ApplicationRequest.objects.count() == 0
        assert Attachment.objects.count() == 0
        return html

    def test_all_required_fields_missing(self, clients):
        kept = {
            "integration_needs": "Integrasi dengan SIMPEG provinsi",
            "general_app_notes": "SRIKANDI sudah dipakai untuk persuratan",
            "general_app_considered": "on",
            "hosting_preference": "pdn",
            "funding_source": "apbn",
        }
        blank = {name: "" for name in form_data()}
        response = self.post(clients["pemohon"], {**blank, **kept})
        html = self.assert_refused(response, REQUIRED)
        form = response.context["form"]
        for name in (
            "letter_number",
            "letter_date",
            "app_name",
            "background",
            "objectives",
            "business_processes",
            "intended_users",
            "user_count",
            "data_description",
            "contact_name",
            "contact_position",
            "contact_phone",
            "contact_email",
        ):
            assert form.errors[name] == [REQUIRED], name
        for name in kept:
            assert name not in form.errors
        # What the person did type is still there.
        assert "Integrasi dengan SIMPEG provinsi" in html
        assert "SRIKANDI sudah dipakai untuk persuratan" in html
        assert 'value="pdn" selected' in html
        assert 'value="apbn" selected' in html

    def test_input_is_kept_when_one_field_is_wrong(self, clients):
        data = form_data(app_name="Sistem Antrian Puskesmas", contact_email="bukan-email")
        response = self.post(clients["pemohon"], data, letter_file=letter())
        html = self.assert_refused(response, "Masukkan alamat email yang valid.")
        assert 'value="Sistem Antrian Puskesmas"' in html
        assert 'value="027/123/2026"' in html
        assert "Pendataan masih dilakukan dengan lembar kerja terpisah" in html

    def test_invalid_email(self, clients):
        response = self.post(clients["pemohon"], form_data(contact_email="siti@"))
        self.assert_refused(response, "Masukkan alamat email yang valid.")
        assert list(response.context["form"].errors) == ["contact_email"]

    @pytest.mark.parametrize("phone", ["0812-ABCD-7890", "telepon kantor", "12"])
    def test_phone_must_be_a_number(self, clients, phone):
        response = self.post(clients["pemohon"], form_data(contact_phone=phone))
        self.assert_refused(
            response, "Nomor telepon hanya boleh berisi angka, spasi, +, -, titik dan kurung."
        )
        assert list(response.context["form"].errors) == ["contact_phone"]

    @pytest.mark.parametrize("phone", ["+62 812 3456 7890", "(0361) 123.456"])
    def test_usual_phone_formats_are_accepted(self, clients, phone):
        response = self.post(clients["pemohon"], form_data(contact_phone=phone))
        assert response.status_code == 302
        assert ApplicationRequest.objects.get().contact_phone == phone

    @pytest.mark.parametrize("count", ["0", "-3"])
    def test_user_count_must_be_at_least_one(self, clients, count):
        response = self.post(clients["pemohon"], form_data(user_count=count))
        self.assert_refused(response, "Pastikan nilai ini lebih besar dari atau sama dengan")
        assert list(response.context["form"].errors) == ["user_count"]

    def test_letter_date_in_the_future(self, clients):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = self.post(clients["pemohon"], form_data(letter_date=tomorrow))
        self.assert_refused(response, "Tanggal surat tidak boleh di masa depan.")
        assert list(response.context["form"].errors) == ["letter_date"]

    def test_letter_dated_today_is_accepted(self, clients):
        response = self.post(clients["pemohon"], form_data(letter_date=timezone.localdate()))
        assert response.status_code == 302

    def test_desired_completion_in_the_past(self, clients):
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        response = self.post(clients["pemohon"], form_data(desired_completion=yesterday))
        self.assert_refused(response, "Target penyelesaian tidak boleh di masa lalu.")
        assert list(response.context["form"].errors) == ["desired_completion"]

    def test_sensitive_personal_data_requires_personal_data(self, clients):
        data = form_data(has_personal_data=False, has_sensitive_personal_data=True)
        response = self.post(clients["pemohon"], data)
        self.assert_refused(
            response, "Data pribadi spesifik juga data pribadi: centang pilihan ini juga."
        )
        assert list(response.context["form"].errors) == ["has_personal_data"]

    def test_general_app_considered_requires_notes(self, clients):
        data = form_data(general_app_considered=True, general_app_notes="   ")
        response = self.post(clients["pemohon"], data)
        self.assert_refused(
            response, "Sebutkan Aplikasi Umum yang dipertimbangkan dan mengapa belum mencukupi."
        )
        assert list(response.context["form"].errors) == ["general_app_notes"]

    @pytest.mark.parametrize(
        "content",
        [
            pytest.param(
                b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, id="exe"
            ),
            pytest.param(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200, id="elf"),
            pytest.param(b"<!DOCTYPE html><html><script>alert(1)</script></html>", id="html"),
        ],
    )
    def test_renamed_program_as_letter_is_refused(self, clients, content):
        response = self.post(clients["pemohon"], form_data(), letter_file=letter(content))
        self.assert_refused(response, NOT_PDF)
        assert list(response.context["form"].errors) == ["letter_file"]

    def test_docx_as_letter_is_refused(self, clients):
        docx = SimpleUploadedFile("surat.docx", demo.sample_docx("Surat"))
        response = self.post(clients["pemohon"], form_data(), letter_file=docx)
        self.assert_refused(response, NOT_PDF)

    def test_empty_letter_is_refused(self, clients):
        response = self.post(clients["pemohon"], form_data(), letter_file=letter(b""))
        self.assert_refused(response)
        assert list(response.context["form"].errors) == ["letter_file"]

    def test_oversized_letter_is_refused(self, clients, settings):
        settings.SOPAPP_MAX_UPLOAD_MB = 1
        payload = b"%PDF-1.4\n" + b"0" * (1536 * 1024)
        response = self.post(clients["pemohon"], form_data(), letter_file=letter(payload))
        html = self.assert_refused(response, "melebihi batas")
        assert "1,0" in html and "MB" in html

    def test_letter_just_under_the_limit_is_accepted(self, clients, settings):
        settings.SOPAPP_MAX_UPLOAD_MB = 1
        payload = demo.sample_pdf("0" * (1024 * 1024 - 1000))
        response = self.post(clients["pemohon"], form_data(), letter_file=letter(payload))
        assert response.status_code == 302
        assert Attachment.objects.get().size == len(payload)


# --- edit ---------------------------------------------------------------------------------


def edit_url(req) -> str:
    return reverse("requests_intake:edit", args=[req.pk])


class TestEditAccess:
    def test_anonymous_is_sent_to_login(self, anon, draft):
        url = edit_url(draft)
        assert anon.get(url).url == login_redirect(url)
        response = anon.post(url, form_data(app_name="Diubah"))
        assert response.status_code == 302
        assert response.url == login_redirect(url)
        draft.refresh_from_db()
        assert draft.app_name == "Sistem Informasi Contoh"

    @pytest.mark.parametrize("role", ["kasi", "kabid", "kadis", "prakom", "admin"])
    def test_officials_do_not_even_see_a_draft(self, clients, draft, role):
        assert clients[role].get(edit_url(draft)).status_code == 404
        assert clients[role].post(edit_url(draft), form_data(app_name="X")).status_code == 404
        draft.refresh_from_db()
        assert draft.app_name == "Sistem Informasi Contoh"

    @pytest.mark.parametrize("role", ["kasi", "kabid", "kadis", "prakom", "admin"])
    def test_officials_cannot_edit_a_submitted_proposal(self, clients, make_request, role):
        req = make_request(State.RECEIVE)
        assert clients[role].get(edit_url(req)).status_code == 403
        response = clients[role].post(
            edit_url(req), {**form_data(app_name="Diubah"), "revision": req.revision}
        )
        assert response.status_code == 403
        req.refresh_from_db()
        assert req.app_name == "Sistem Informasi Contoh"

    def test_other_unit_gets_404(self, clients, draft):
        assert clients["pemohon2"].get(edit_url(draft)).status_code == 404

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_other_methods_are_refused(self, clients, draft, method):
        assert getattr(clients["pemohon"], method)(edit_url(draft)).status_code == 405
        assert ApplicationRequest.objects.filter(pk=draft.pk).exists()


class TestEdit:
    def test_form_shows_the_saved_values(self, clients, draft):
        response = clients["pemohon"].get(edit_url(draft))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'value="Sistem Informasi Contoh"' in html
        assert f'name="revision" value="{draft.revision}"' in html
        assert "Surat sudah terlampir." in html

    def test_saving_without_a_file_keeps_the_letter(self, clients, draft):
        [before] = letters(draft)
        response = clients["pemohon"].post(
            edit_url(draft),
            {**form_data(app_name="SIMPUS v2", user_count=40), "revision": draft.revision},
        )
        assert response.status_code == 302
        assert response.url == reverse("requests_intake:detail", args=[draft.pk])
        draft.refresh_from_db()
        assert draft.app_name == "SIMPUS v2"
        assert draft.user_count == 40
        assert draft.state == State.DRAFT
        assert letters(draft) == [before]

    def test_a_new_letter_becomes_version_2_and_version_1_stays_downloadable(
        self, clients, draft, users
    ):
        [v1] = letters(draft)
        original = read(v1)
        replacement = demo.sample_pdf("Surat permintaan revisi")
        response = clients["pemohon"].post(
            edit_url(draft),
            {
                **form_data(),
                "revision": draft.revision,
                "letter_file": letter(replacement, "surat revisi.pdf"),
            },
        )
        assert response.status_code == 302
        old, new = letters(draft)
        assert (old.pk, old.version) == (v1.pk, 1)
        assert new.version == 2
        assert new.original_name == "surat revisi.pdf"
        assert new.uploaded_by == users["pemohon"]
        assert new.file.name != old.file.name
        assert download(clients["pemohon"], old) == original
        assert download(clients["pemohon"], new) == replacement

    def test_a_renamed_program_does_not_replace_the_letter(self, clients, draft):
        response = clients["pemohon"].post(
            edit_url(draft),
            {
                **form_data(app_name="Diubah"),
                "revision": draft.revision,
                "letter_file": letter(b"MZ\x90\x00" + b"\x00" * 100),
            },
        )
        assert response.status_code == 200
        assert NOT_PDF in response.content.decode()
        draft.refresh_from_db()
        assert draft.app_name == "Sistem Informasi Contoh"
        assert [a.version for a in letters(draft)] == [1]

    def test_invalid_input_changes_nothing(self, clients, draft):
        response = clients["pemohon"].post(
            edit_url(draft),
            {**form_data(app_name="Diubah", contact_email="x"), "revision": draft.revision},
        )
        assert response.status_code == 200
        assert 'value="Diubah"' in response.content.decode()
        draft.refresh_from_db()
        assert draft.app_name == "Sistem Informasi Contoh"

    def test_two_tabs_editing_one_draft_the_second_save_is_refused(self, clients, draft):
        opened = draft.revision  # both tabs show the draft at this revision
        first = clients["pemohon"].post(
            edit_url(draft), {**form_data(app_name="Versi A"), "revision": opened}
        )
        assert first.status_code == 302
        second = clients["pemohon"].post(
            edit_url(draft), {**form_data(app_name="Versi B"), "revision": opened}
        )
        assert second.status_code == 200
        assert "baru saja diubah di halaman lain" in second.content.decode()
        draft.refresh_from_db()
        assert draft.app_name == "Versi A" and draft.revision == opened + 1

    def test_a_form_of_another_revision_changes_nothing(self, clients, draft):
        response = clients["pemohon"].post(
            edit_url(draft), {**form_data(app_name="Diubah"), "revision": draft.revision + 1}
        )
        assert response.status_code == 200
        assert "baru saja diubah di halaman lain" in response.content.decode()
        draft.refresh_from_db()
        assert draft.app_name == "Sistem Informasi Contoh"


class TestEditAfterSubmission:
    def test_edit_page_redirects_with_a_message(self, clients, make_request):
        req = make_request(State.RECEIVE)
        response = clients["pemohon"].get(edit_url(req))
        assert response.status_code == 302
        assert response.url == reverse("requests_intake:detail", args=[req.pk])
        page = clients["pemohon"].get(response.url)
        assert "Usulan yang sudah diajukan tidak dapat diubah." in page.content.decode()

    def test_post_changes_nothing(self, clients, make_request):
        req = make_request(State.RECEIVE)
        before = (req.app_name, req.revision, req.updated_at, req.attachments.count())
        response = clients["pemohon"].post(
            edit_url(req),
            {
                **form_data(app_name="Diubah setelah diajukan"),
                "revision": req.revision,
                "letter_file": letter(),
            },
        )
        assert response.status_code == 302
        assert response.url == reverse("requests_intake:detail", args=[req.pk])
        req.refresh_from_db()
        assert (req.app_name, req.revision, req.updated_at, req.attachments.count()) == before

    def test_submitted_page_offers_no_edit_link(self, clients, make_request):
        req = make_request(State.RECEIVE)
        html = clients["pemohon"].get(req.get_absolute_url()).content.decode()
        assert edit_url(req) not in html


# --- delete -------------------------------------------------------------------------------


def delete_url(req) -> str:
    return reverse("requests_intake:delete", args=[req.pk])


class TestDelete:
    def test_anonymous_is_sent_to_login(self, anon, draft):
        url = delete_url(draft)
        response = anon.post(url)
        assert response.status_code == 302
        assert response.url == login_redirect(url)
        assert ApplicationRequest.objects.filter(pk=draft.pk).exists()

    def test_get_is_refused(self, clients, draft):
        assert clients["pemohon"].get(delete_url(draft)).status_code == 405
        assert ApplicationRequest.objects.filter(pk=draft.pk).exists()

    @pytest.mark.parametrize("role", ["kasi", "kabid", "kadis", "prakom", "admin"])
    def test_officials_do_not_see_a_draft(self, clients, draft, role):
        assert clients[role].post(delete_url(draft)).status_code == 404
        assert ApplicationRequest.objects.filter(pk=draft.pk).exists()

    @pytest.mark.parametrize("role", ["kasi", "kabid", "kadis", "prakom", "admin"])
    def test_officials_cannot_delete_a_submitted_proposal(self, clients, make_request, role):
        req = make_request(State.RECEIVE)
        assert clients[role].post(delete_url(req)).status_code == 403
        assert ApplicationRequest.objects.filter(pk=req.pk).exists()

    def test_other_unit_gets_404(self, clients, draft):
        assert clients["pemohon2"].post(delete_url(draft)).status_code == 404
        assert ApplicationRequest.objects.filter(pk=draft.pk).exists()

    def test_deletes_the_draft_its_attachments_and_files(
        self, clients, draft, django_capture_on_commit_callbacks
    ):
        [attachment] = letters(draft)
        storage, name = attachment.file.storage, attachment.file.name
        assert storage.exists(name)
        with django_capture_on_commit_callbacks(execute=True):
            response = clients["pemohon"].post(delete_url(draft))
        assert response.status_code == 302
        assert response.url == reverse("requests_intake:list")
        assert not ApplicationRequest.objects.filter(pk=draft.pk).exists()
        assert not Attachment.objects.filter(pk=attachment.pk).exists()
        assert not storage.exists(name)

    def test_other_drafts_of_the_unit_stay(self, clients, draft, actors):
        other = demo.create_draft(actors, app_name="Draf lain")
        clients["pemohon"].post(delete_url(draft))
        assert list(ApplicationRequest.objects.all()) == [other]
        assert letters(other) != []

    def test_a_submitted_proposal_is_not_deleted(self, clients, make_request):
        req = make_request(State.RECEIVE)
        response = clients["pemohon"].post(delete_url(req), follow=True)
        assert response.redirect_chain == [(req.get_absolute_url(), 302)]
        assert "Usulan ini sudah diajukan dan tidak dapat dihapus." in response.content.decode()
        assert ApplicationRequest.objects.filter(pk=req.pk).exists()


# --- list ---------------------------------------------------------------------------------


def names(response) -> list[str]:
    return [r.app_name for r in response.context["page"].object_list]


class TestList:
    def test_anonymous_is_sent_to_login(self, anon, db):
        url = reverse("requests_intake:list")
        assert anon.get(url).url == login_redirect(url)

    def test_post_is_refused(self, clients):
        assert clients["pemohon"].post(reverse("requests_intake:list")).status_code == 405

    def test_pemohon_sees_own_drafts_and_submitted_proposals(self, clients, make_request):
        make_request(State.DRAFT, app_name="Aplikasi Draf")
        submitted = make_request(State.RECEIVE, app_name="Aplikasi Diajukan")
        response = clients["pemohon"].get(reverse("requests_intake:list"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Aplikasi Draf" in html
        assert "Aplikasi Diajukan" in html
        assert submitted.registration_number in html
        assert [r.app_name for r in response.context["page"].object_list] == [
            "Aplikasi Diajukan",
            "Aplikasi Draf",
        ]

    def test_officials_see_submitted_proposals_but_not_drafts(self, clients, make_request):
        make_request(State.DRAFT, app_name="Aplikasi Draf")
        make_request(State.RECEIVE, app_name="Aplikasi Diajukan")
        html = clients["kasi"].get(reverse("requests_intake:list")).content.decode()
        assert "Aplikasi Diajukan" in html
        assert "Aplikasi Draf" not in html

    def test_search_by_name_and_state_filter(self, clients, make_request):
        make_request(State.DRAFT, app_name="Sistem Gizi Balita")
        make_request(State.RECEIVE, app_name="Sistem Antrian")
        url = reverse("requests_intake:list")
        assert names(clients["pemohon"].get(url, {"q": "gizi"})) == ["Sistem Gizi Balita"]
        assert names(clients["pemohon"].get(url, {"state": "draft"})) == ["Sistem Gizi Balita"]
        assert names(clients["pemohon"].get(url, {"state": "running"})) == ["Sistem Antrian"]
        assert names(clients["pemohon"].get(url, {"q": "tidak-ada"})) == []

    def test_nonsense_filters_are_ignored(self, clients, draft):
        response = clients["pemohon"].get(
            reverse("requests_intake:list"),
            {"state": "bogus", "unit": "abc", "year": "99999999999", "page": "x"},
        )
        assert response.status_code == 200
        assert [r.pk for r in response.context["page"].object_list] == [draft.pk]
