import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue import services
from catalogue.models import Application, ApplicationStatus, Hosting, Release
from workflow import demo
from workflow.errors import ActionForbidden, StaleAction


class TestApplicationCreate:
    def test_admin_adds_an_application_older_than_the_system(self, users, units):
        app = services.application_create(
            actor=users["admin"],
            name="SIMPEG",
            unit=units["dinkes"],
            purpose="Data kepegawaian",
            hosting=Hosting.PDD,
            year=2015,
        )
        stored = Application.objects.get(pk=app.pk)
        assert (stored.name, stored.year, stored.status) == ("SIMPEG", 2015, "active")
        assert stored.created_by == users["admin"]
        assert stored.proposal is None

    @pytest.mark.parametrize("who", ["kasi", "kabid", "kadis", "prakom", "pemohon"])
    def test_nobody_else_may_add(self, users, units, who):
        with pytest.raises(ActionForbidden):
            services.application_create(
                actor=users[who], name="X", unit=units["dinkes"], purpose="Y"
            )
        assert not Application.objects.exists()

    def test_a_year_outside_the_range_is_refused(self, users, units):
        with pytest.raises(ValidationError) as caught:
            services.application_create(
                actor=users["admin"], name="X", unit=units["dinkes"], purpose="Y", year=1890
            )
        assert "year" in caught.value.message_dict


class TestApplicationRetire:
    def test_retiring_keeps_the_entry_with_date_and_reason(self, users, catalogue):
        app = services.application_retire(
            application_id=catalogue["simpus"].pk,
            actor=users["admin"],
            reason="Digantikan SATUSEHAT",
            on=datetime.date(2026, 3, 1),
        )
        app.refresh_from_db()
        assert app.status == ApplicationStatus.RETIRED
        assert app.retired_on == datetime.date(2026, 3, 1)
        assert app.retired_reason == "Digantikan SATUSEHAT"

    def test_a_reason_is_required(self, users, catalogue):
        with pytest.raises(ValidationError):
            services.application_retire(
                application_id=catalogue["simpus"].pk, actor=users["admin"], reason="  "
            )
        catalogue["simpus"].refresh_from_db()
        assert catalogue["simpus"].status == ApplicationStatus.ACTIVE

    def test_retiring_twice_is_stale(self, users, catalogue):
        with pytest.raises(StaleAction):
            services.application_retire(
                application_id=catalogue["sikd"].pk, actor=users["admin"], reason="lagi"
            )

    def test_the_kasi_cannot_retire(self, users, catalogue):
        with pytest.raises(ActionForbidden):
            services.application_retire(
                application_id=catalogue["simpus"].pk, actor=users["kasi"], reason="x"
            )

    def test_reactivating_clears_the_retirement(self, users, catalogue):
        app = services.application_update(
            application_id=catalogue["sikd"].pk, actor=users["admin"], status="active"
        )
        assert (app.retired_on, app.retired_reason) == (None, "")


def _pdf(name="hasil.pdf"):
    return SimpleUploadedFile(name, demo.sample_pdf("Hasil"))


class TestReleaseRecord:
    def record(self, req, actor, **extra):
        values = {
            "url": "https://simpos.example.go.id",
            "source_repository": "https://git.example.go.id/diskominfo/simpos",
            "version": "1.0.0",
            "hosting": Hosting.PDD,
        }
        values.update(extra)
        return services.release_record(proposal=req, actor=actor, **values)

    def test_records_the_application_and_its_documents(self, make_request, users):
        req = make_request("s08_report")
        release = self.record(
            req,
            users["prakom"],
            test_account_note="Akun uji: operator.uji (diminta ke Seksi Aplikasi)",
            uat_document=_pdf("UAT.pdf"),
            security_document=_pdf("ITSA.pdf"),
            security_assessed_on=datetime.date(2026, 10, 1),
            security_assessor="Tim CSIRT Kabupaten",
        )
        stored = Release.objects.get(pk=release.pk)
        assert stored.proposal == req and stored.version == "1.0.0"
        assert stored.uat_original_name == "UAT.pdf" and len(stored.uat_sha256) == 64
        assert stored.security_document.read().startswith(b"%PDF")

    def test_repeating_step_8_updates_the_same_record_and_keeps_documents(
        self, make_request, users
    ):
        req = make_request("s08_report")
        first = self.record(req, users["prakom"], uat_document=_pdf("UAT.pdf"))
        second = self.record(req, users["prakom"], version="1.0.1")
        assert first.pk == second.pk
        assert Release.objects.get(pk=first.pk).version == "1.0.1"
        assert Release.objects.get(pk=first.pk).uat_original_name == "UAT.pdf"

    @pytest.mark.parametrize(
        "note", ["password: rahasia123", "Kata sandi = admin", "user admin, PIN:1234"]
    )
    def test_no_password_is_stored(self, make_request, users, note):
        req = make_request("s08_report")
        with pytest.raises(ValidationError) as caught:
            self.record(req, users["prakom"], test_account_note=note)
        assert "test_account_note" in caught.value.message_dict
        assert not Release.objects.exists()

    def test_the_address_is_required(self, make_request, users):
        req = make_request("s08_report")
        with pytest.raises(ValidationError) as caught:
            self.record(req, users["prakom"], url="")
        assert "url" in caught.value.message_dict

    def test_a_security_result_needs_its_date_and_assessor(self, make_request, users):
        req = make_request("s08_report")
        with pytest.raises(ValidationError) as caught:
            self.record(req, users["prakom"], security_document=_pdf())
        assert "security_assessed_on" in caught.value.message_dict

    def test_a_disguised_document_is_refused(self, make_request, users):
        req = make_request("s08_report")
        fake = SimpleUploadedFile("uat.pdf", b"MZ\x90\x00" + b"\x00" * 200)
        with pytest.raises(ValidationError):
            self.record(req, users["prakom"], uat_document=fake)

    def test_the_catalogue_entry_is_made_once_from_the_record(self, make_request, users):
        req = make_request("s08_report")
        release = self.record(req, users["prakom"], hosting=Hosting.PDN)
        app = services.application_from_release(release=release, actor=users["kasi"])
        again = services.application_from_release(release=release, actor=users["kasi"])
        assert app.pk == again.pk
        assert Application.objects.count() == 1
        assert (app.name, app.unit_id, app.proposal_id) == (req.app_name, req.unit_id, req.pk)
        assert (app.url, app.hosting, app.version) == (release.url, "pdn", "1.0.0")
        assert Release.objects.get(pk=release.pk).application_id == app.pk
