from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.demo import APPLICATIONS, seed_catalogue
from catalogue.models import Application, ApplicationKind, ApplicationStatus
from catalogue.selectors import similar_applications
from tests.catalogue.conftest import make_app


def found(proposal) -> list[str]:
    return [s.application.name for s in similar_applications(proposal)]


class TestSimilarApplications:
    def test_same_unit_and_similar_names_or_purposes(self, make_request, units, catalogue):
        make_app(units["disdik"], "Data Balita Sekolah", purpose="Pendataan anak usia dini")
        make_app(units["disdik"], "SIMAK", purpose="Aset dan persediaan barang")
        req = make_request(
            "s02_receive",
            app_name="Sistem Informasi Posyandu Terpadu",
            objectives="Pencatatan penimbangan balita dan imunisasi.",
        )
        names = found(req)
        assert names[0] == "e-Posyandu"  # same unit, the name and the purpose match
        assert "SIMPUS" in names  # same unit
        assert "Data Balita Sekolah" in names  # another unit, a matching word in the name
        assert "SIMAK" not in names and "PPDB Online" not in names

    def test_an_aplikasi_umum_of_any_unit_is_found_by_its_purpose(self, make_request, catalogue):
        req = make_request(
            "s02_receive",
            app_name="Aplikasi Surat Menyurat",
            objectives="Naskah dinas elektronik dan disposisi surat masuk.",
        )
        similar = {s.application.name: s for s in similar_applications(req)}
        assert "SRIKANDI" in similar
        assert similar["SRIKANDI"].application.kind == ApplicationKind.UMUM
        assert "naskah" in similar["SRIKANDI"].matched

    def test_retired_applications_come_last(self, make_request, catalogue):
        req = make_request(
            "s02_receive", app_name="Arsip Dinamis Daerah", objectives="Arsip dinamis."
        )
        names = found(req)
        assert names.index("SRIKANDI") < names.index("SIKD")

    def test_case_and_common_words_do_not_matter(self, make_request, units):
        make_app(units["disdik"], "Sistem Informasi Kepegawaian", purpose="Data pegawai")
        req = make_request(
            "s02_receive", app_name="SISTEM INFORMASI ZAKAT", objectives="Data muzakki."
        )
        assert found(req) == []  # "sistem", "informasi", "data" say nothing

    def test_its_own_catalogue_entry_is_not_a_duplicate(self, make_request, units):
        req = make_request("s02_receive", app_name="Antrean Puskesmas")
        Application.objects.create(
            name="Antrean Puskesmas", unit=req.unit, purpose="x", year=2026, proposal=req
        )
        assert found(req) == []

    def test_one_query(self, make_request, catalogue):
        req = make_request("s02_receive", app_name="Posyandu", objectives="Balita")
        with CaptureQueriesContext(connection) as ctx:
            similar_applications(req)
        assert len(ctx.captured_queries) == 1


class TestBesideTheProposal:
    def test_the_kasi_sees_similar_applications_on_the_proposal_page(
        self, make_request, clients, catalogue
    ):
        req = make_request("s02_receive", app_name="Posyandu Digital", objectives="Balita")
        response = clients["kasi"].get(req.get_absolute_url())
        assert response.status_code == 200
        assert b'id="similar-title"' in response.content
        assert catalogue["posyandu"].get_absolute_url().encode() in response.content

    def test_the_requesting_unit_does_not(self, make_request, clients, catalogue):
        req = make_request("s02_receive", app_name="Posyandu Digital", objectives="Balita")
        response = clients["pemohon"].get(req.get_absolute_url())
        assert response.status_code == 200
        assert b'id="similar-title"' not in response.content

    def test_nothing_similar_says_so(self, make_request, clients):
        req = make_request("s02_receive", app_name="Zakat", objectives="Muzakki")
        response = clients["kasi"].get(req.get_absolute_url())
        assert "Tidak ada aplikasi serupa di katalog." in response.content.decode()


class TestDemoCatalogue:
    def test_fills_an_empty_catalogue_once(self, users, make_request):
        from requests_intake.models import PerangkatDaerah

        for _name, code, *_rest in APPLICATIONS:
            PerangkatDaerah.objects.get_or_create(
                code=code, defaults={"name": code, "short_name": code}
            )
        made = seed_catalogue(actor=users["admin"])
        assert made == len(APPLICATIONS) >= 20
        assert seed_catalogue(actor=users["admin"]) == 0
        # Applications built through the SOP enter the catalogue at their handover.
        done = make_request("completed", app_name="Aplikasi Rujukan Ibu Hamil")
        names = set(Application.objects.values_list("name", flat=True))
        for general in ("SRIKANDI", "e-Kinerja", "SIPD", "LAPOR!"):
            assert any(general in n for n in names), general
        statuses = set(Application.objects.values_list("status", flat=True))
        assert statuses == set(ApplicationStatus.values)
        assert Application.objects.get(proposal=done).name == "Aplikasi Rujukan Ibu Hamil"
        assert Application.objects.values("unit").distinct().count() >= 10
