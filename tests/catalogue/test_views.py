import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from catalogue.models import Application, ApplicationStatus
from catalogue.services import release_record
from tests.catalogue.conftest import make_app
from workflow import demo
from workflow.exports import WIDTH_MAX, WIDTH_MIN


def names(response) -> set[str]:
    return {app.name for app in response.context["page"].object_list}


class TestList:
    url = reverse("catalogue:list")

    def test_anonymous_goes_to_login(self, anon, catalogue):
        response = anon.get(self.url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_wrong_method(self, clients):
        assert clients["kasi"].post(self.url).status_code == 405

    @pytest.mark.parametrize("who", ["kasi", "kabid", "kadis", "prakom", "admin"])
    def test_diskominfo_staff_see_the_whole_catalogue(self, clients, catalogue, who):
        response = clients[who].get(self.url)
        assert response.status_code == 200
        assert names(response) == {a.name for a in catalogue.values()}

    def test_a_requesting_unit_sees_its_own_applications_only(self, clients, catalogue):
        response = clients["pemohon"].get(self.url)
        assert names(response) == {"SIMPUS", "e-Posyandu"}

    def test_a_requesting_unit_is_told_whose_applications_it_sees(self, clients, catalogue):
        page = clients["pemohon"].get(self.url).content.decode()
        assert "Aplikasi milik Dinas Kesehatan yang tercatat" in page
        assert 'name="unit"' not in page  # one unit only: no unit filter

    def test_staff_get_the_whole_catalogue_wording_and_the_unit_filter(self, clients, catalogue):
        page = clients["kasi"].get(self.url).content.decode()
        assert "Aplikasi milik Pemerintah Daerah" in page and 'name="unit"' in page

    def test_a_user_without_role_or_unit_is_forbidden(self, client, django_user_model, catalogue):
        client.force_login(django_user_model.objects.create_user("tamu", password="x"))
        assert client.get(self.url).status_code == 403

    @pytest.mark.parametrize(
        "query, expected",
        [
            ({"q": "srikandi"}, {"SRIKANDI", "SIKD"}),  # name, and a purpose naming it
            ({"q": "simpus"}, {"SIMPUS"}),
            ({"q": "balita"}, {"e-Posyandu"}),  # purpose
            ({"q": "Pendidikan"}, {"PPDB Online", "SRIKANDI", "SIKD"}),  # unit
            ({"q": "arsip dinamis"}, {"SRIKANDI", "SIKD"}),  # every word must match
            ({"status": "retired"}, {"SIKD"}),
            ({"status": "changing"}, {"e-Posyandu"}),
            ({"hosting": "pdn"}, {"PPDB Online", "SRIKANDI"}),
            ({"kind": "umum"}, {"SRIKANDI"}),
            ({"year": "2018"}, {"SIMPUS"}),
        ],
    )
    def test_search_and_filters(self, clients, catalogue, query, expected):
        assert names(clients["kasi"].get(self.url, query)) == expected

    def test_unit_filter(self, clients, catalogue, units):
        response = clients["kasi"].get(self.url, {"unit": units["dinkes"].pk})
        assert names(response) == {"SIMPUS", "e-Posyandu"}

    @pytest.mark.parametrize(
        "query", [{"status": "hilang"}, {"year": "abc"}, {"unit": "999999"}, {"q": "a\x00b"}]
    )
    def test_a_bad_filter_is_explained_not_a_server_error(self, clients, catalogue, query):
        response = clients["kasi"].get(self.url, query)
        assert response.status_code == 200
        assert b"query-errors" in response.content

    def test_query_count_does_not_grow_with_rows(
        self, clients, catalogue, units, django_assert_num_queries
    ):
        client = clients["kasi"]
        client.get(self.url)  # warm the master-data cache and the session's activity stamp
        # session, user, roles with acting assignments, count, rows, inbox badge, unread
        with django_assert_num_queries(7):
            client.get(self.url)
        for i in range(30):
            make_app(units["dinkes"], f"Aplikasi {i}", proposal=None)
        with django_assert_num_queries(7):
            response = client.get(self.url)
        assert len(response.context["page"].object_list) == 25

    def test_the_menu_shows_the_catalogue(self, clients, catalogue):
        response = clients["kasi"].get(reverse("workflow:inbox"))
        assert self.url.encode() in response.content


class TestExport:
    url = reverse("catalogue:export")

    def test_csv_has_the_spbe_columns_and_the_visible_rows(self, clients, catalogue):
        response = clients["kasi"].get(self.url, {"format": "csv", "status": "active"})
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        header = rows[0]
        for column in ("Nama aplikasi", "Perangkat Daerah pemilik", "Alamat (URL)", "Hosting"):
            assert column in header
        assert {r[header.index("Nama aplikasi")] for r in rows[1:]} == {
            "SIMPUS",
            "PPDB Online",
            "SRIKANDI",
        }
        simpus = next(r for r in rows[1:] if r[1] == "SIMPUS")
        assert simpus[header.index("Data pribadi")] == "Ya"

    def test_xlsx(self, clients, catalogue):
        response = clients["pemohon"].get(self.url, {"format": "xlsx"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.values)
        assert values[0][1] == "Nama aplikasi"
        assert {row[1] for row in values[1:]} == {"SIMPUS", "e-Posyandu"}  # own unit only

    def test_xlsx_has_a_bold_frozen_header_and_sized_columns(self, clients, catalogue):
        purpose = "Rekam medis, pendaftaran, antrean dan rujukan pasien " * 3
        make_app(catalogue["simpus"].unit, "Sistem Informasi Manajemen Puskesmas", purpose=purpose)
        response = clients["kasi"].get(self.url, {"format": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.freeze_panes == "A2"
        header = list(sheet[1])
        assert all(cell.font.b for cell in header)
        assert not any(cell.font.b for cell in sheet[2])
        width = {c.value: sheet.column_dimensions[c.column_letter].width for c in header}
        assert width["Nama aplikasi"] == len("Sistem Informasi Manajemen Puskesmas") + 2
        assert width["Deskripsi / fungsi"] == WIDTH_MAX  # a long text wraps, not a wide column
        assert width["No."] == WIDTH_MIN

    def test_a_formula_typed_in_is_exported_as_text(self, clients, units):
        make_app(units["dinkes"], "=HYPERLINK(1)")
        response = clients["kasi"].get(self.url, {"format": "csv"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "'=HYPERLINK" in text

    def test_a_refused_filter_gives_the_page_not_a_file(self, clients, catalogue):
        response = clients["kasi"].get(self.url, {"format": "csv", "year": "x"})
        assert response.status_code == 400
        assert b"query-errors" in response.content


class TestDetail:
    def test_staff_see_any_entry(self, clients, catalogue):
        response = clients["kasi"].get(catalogue["ppdb"].get_absolute_url())
        assert response.status_code == 200
        assert b"PPDB Online" in response.content
        assert response.context["retire_form"] is None  # not the administrator

    def test_another_units_entry_is_not_found_for_a_requesting_unit(self, clients, catalogue):
        assert clients["pemohon"].get(catalogue["ppdb"].get_absolute_url()).status_code == 404
        assert clients["pemohon"].get(catalogue["simpus"].get_absolute_url()).status_code == 200

    def test_unknown_entry(self, clients):
        assert clients["kasi"].get(reverse("catalogue:detail", args=[999999])).status_code == 404


class TestManage:
    def test_admin_adds_an_application(self, clients, units):
        response = clients["admin"].post(
            reverse("catalogue:create"),
            {
                "name": "SIMPEG",
                "unit": units["dinkes"].pk,
                "kind": "khusus",
                "platform": "web",
                "purpose": "Data kepegawaian daerah",
                "hosting": "pdd",
                "year": 2014,
                "status": "active",
            },
        )
        app = Application.objects.get(name="SIMPEG")
        assert response.status_code == 302 and response["Location"] == app.get_absolute_url()

    def test_personal_data_needs_its_description(self, clients, units):
        response = clients["admin"].post(
            reverse("catalogue:create"),
            {
                "name": "SIMPEG",
                "unit": units["dinkes"].pk,
                "kind": "khusus",
                "platform": "web",
                "purpose": "Data kepegawaian",
                "hosting": "pdd",
                "year": 2014,
                "status": "active",
                "has_personal_data": "on",
            },
        )
        assert response.status_code == 200
        assert "personal_data_note" in response.context["form"].errors
        assert not Application.objects.exists()

    @pytest.mark.parametrize("who", ["kasi", "pemohon"])
    def test_others_may_not_add_or_edit(self, clients, catalogue, who):
        assert clients[who].get(reverse("catalogue:create")).status_code == 403
        edit = reverse("catalogue:edit", args=[catalogue["simpus"].pk])
        assert clients[who].get(edit).status_code == 403

    def test_admin_edits(self, clients, catalogue):
        app = catalogue["simpus"]
        url = reverse("catalogue:edit", args=[app.pk])
        form = clients["admin"].get(url).context["form"]
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(unit=app.unit_id, version="2.1", has_personal_data="", personal_data_note="")
        data.pop("has_personal_data")
        response = clients["admin"].post(url, data)
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.version == "2.1"

    def test_admin_retires_with_a_reason(self, clients, catalogue):
        app = catalogue["simpus"]
        url = reverse("catalogue:retire", args=[app.pk])
        assert clients["admin"].get(url).status_code == 405
        refused = clients["admin"].post(url, {"reason": ""})
        assert refused.status_code == 400
        response = clients["admin"].post(url, {"reason": "Digantikan aplikasi nasional"})
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.status == ApplicationStatus.RETIRED and app.retired_on is not None

    def test_retiring_a_retired_application_changes_nothing(self, clients, catalogue):
        app = catalogue["sikd"]
        before = app.retired_on
        response = clients["admin"].post(
            reverse("catalogue:retire", args=[app.pk]), {"reason": "lagi"}, follow=True
        )
        assert response.status_code == 200
        app.refresh_from_db()
        assert app.retired_on == before

    def test_the_kasi_cannot_retire(self, clients, catalogue):
        app = catalogue["simpus"]
        response = clients["kasi"].post(reverse("catalogue:retire", args=[app.pk]), {"reason": "x"})
        assert response.status_code == 403
        app.refresh_from_db()
        assert app.status == ApplicationStatus.ACTIVE


class TestReleaseDocument:
    def test_the_step_8_documents_follow_the_proposals_visibility(
        self, make_request, users, clients
    ):
        req = make_request("s08_report")
        release = release_record(
            proposal=req,
            actor=users["prakom"],
            url="https://a.example.go.id",
            source_repository="git.example.go.id/a",
            version="1.0",
            hosting="pdd",
            uat_document=SimpleUploadedFile("UAT Puskesmas.pdf", demo.sample_pdf()),
        )
        url = reverse("catalogue:release_document", args=[release.pk, "uat"])
        response = clients["kasi"].get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="UAT Puskesmas.pdf"'
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert clients["pemohon"].get(url).status_code == 200
        assert clients["pemohon2"].get(url).status_code == 404
        other = reverse("catalogue:release_document", args=[release.pk, "password"])
        assert clients["kasi"].get(other).status_code == 404
        assert clients["kasi"].post(url).status_code == 405
