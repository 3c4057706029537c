"""The office around the SOP's steps: returns to the unit, the study checklist, meetings
with the unit's users, the unit's agreement, the application's record, the handover, the
late reason, and what the requesting unit may read."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from catalogue import models as catalogue_models
from catalogue.models import Application, ApplicationStatus, Hosting, Release
from requests_intake.models import AttachmentKind
from workflow import demo, selectors
from workflow.errors import ActionForbidden, ActionIncomplete
from workflow.models import (
    HOSTING_UNDECIDED,
    ApplicationReuse,
    CompletionRequest,
    Invitation,
    Meeting,
    Notification,
    Receipt,
    StepVisit,
    StudyChecklist,
    TransitionLog,
    UnitAgreement,
    office,
)
from workflow.services import (
    invitation_confirm,
    meeting_schedule,
    take_accept_review,
    take_record_presentation,
)
from workflow.states import State

JKT = ZoneInfo("Asia/Jakarta")


def act(client, req, name: str, fields: dict | None = None, *, follow: bool = False):
    req.refresh_from_db()
    data = {f"{name}-revision": req.revision}
    for key, value in (fields or {}).items():
        data[f"{name}-{key}"] = value
    return client.post(reverse("workflow:act", args=[req.pk, name]), data, follow=follow)


def fresh(req):
    req.refresh_from_db()
    return req


class TestReturnForCompletion:
    def test_the_kasi_returns_with_a_checklist_and_the_unit_holds_it_as_step_1(
        self, clients, make_request
    ):
        req = make_request(State.RECEIVE)
        response = act(
            clients["kasi"],
            req,
            "kasi_return_to_unit",
            {
                "missing": "Lampirkan KAK/TOR.",
                "letter_signed": "on",
                "existing_app": "SRIKANDI tidak sesuai.",
                "hosting": "pdd",
                "checklist_note": "Anggaran belum jelas.",
            },
        )
        assert response.status_code == 302
        req = fresh(req)
        assert req.state == State.UNIT_COMPLETION and req.step == 1
        # The unit's holding time is a visit of step 1 (the unit's), not of Diskominfo's step 2.
        visits = list(StepVisit.objects.filter(request=req).values_list("step", "finished_at"))
        assert [step for step, _f in visits] == [1, 2, 1]
        assert visits[1][1] is not None and visits[2][1] is None
        checklist = StudyChecklist.objects.get(request=req)
        assert checklist.letter_signed and not checklist.tor_attached
        assert checklist.note == "Anggaran belum jelas." and checklist.hosting == "pdd"
        assert CompletionRequest.objects.get(request=req).missing == "Lampirkan KAK/TOR."
        # It waits in the unit's inbox, not in the Kasi's.
        assert req in selectors.inbox(clients["pemohon"].user_obj)
        assert req not in selectors.inbox(clients["kasi"].user_obj)

    def test_the_unit_resubmits_and_each_round_is_kept(self, clients, actors, make_request):
        req = make_request(State.UNIT_COMPLETION)
        refused = act(clients["pemohon"], req, "resubmit", {"completion_note": ""})
        assert refused.status_code == 200 and fresh(req).state == State.UNIT_COMPLETION
        act(clients["pemohon"], req, "resubmit", {"completion_note": "KAK/TOR diunggah."})
        assert fresh(req).state == State.RECEIVE
        req = demo.take(req, "receive", actors)
        req = demo.take(req, "forward_to_kabid", actors)
        req = demo.take(req, "kabid_return_to_unit", actors)
        assert req.state == State.UNIT_COMPLETION
        req = demo.take(req, "resubmit", actors)
        req = demo.take(req, "receive", actors)  # the letter is in the agenda book once
        assert Receipt.objects.filter(request=req).count() == 1
        rounds = list(CompletionRequest.objects.filter(request=req).values_list("round", "to_unit"))
        assert rounds == [(1, True), (2, True)]
        page = clients["pemohon"].get(req.get_absolute_url()).content.decode()
        assert "Pengembalian untuk dilengkapi ke-2" in page
        assert "KAK/TOR diunggah." in page

    def test_the_kabid_returns_to_the_kasi(self, actors, make_request):
        req = demo.take(make_request(State.KABID_FORWARD), "kabid_return_to_kasi", actors)
        assert req.state == State.KASI_FORWARD
        assert not CompletionRequest.objects.get(request=req).to_unit
        req = demo.take(req, "kasi_return_to_unit", actors)
        assert req.state == State.UNIT_COMPLETION

    def test_the_other_unit_cannot_resubmit(self, clients, make_request):
        req = make_request(State.UNIT_COMPLETION)
        response = act(clients["pemohon2"], req, "resubmit", {"completion_note": "x"})
        assert response.status_code == 404
        assert fresh(req).state == State.UNIT_COMPLETION


class TestHostingPlaces:
    """The places an application may run are one list, the catalogue's; the Kasi's study
    offers the same places and may leave the choice open."""

    def test_the_study_uses_the_catalogues_list_of_places(self):
        assert office.Hosting is catalogue_models.Hosting
        field = StudyChecklist._meta.get_field("hosting")
        assert [value for value, _label in field.choices] == [*Hosting.values, HOSTING_UNDECIDED]
        assert field.default == HOSTING_UNDECIDED

    def test_the_study_records_a_catalogue_place_and_refuses_another(self, clients, make_request):
        fields = {"missing": "Lampirkan KAK/TOR.", "hosting": "cloud"}
        req = make_request(State.RECEIVE)
        refused = act(clients["kasi"], req, "kasi_return_to_unit", fields)
        assert refused.status_code == 200 and fresh(req).state == State.RECEIVE
        act(clients["kasi"], req, "kasi_return_to_unit", {**fields, "hosting": Hosting.PDN})
        assert StudyChecklist.objects.get(request=req).hosting == Hosting.PDN
        page = clients["kasi"].get(req.get_absolute_url()).content.decode()
        assert "Hosting: Pusat Data Nasional (PDN)" in page


class TestUseExistingApplication:
    def test_the_kadis_names_an_application_and_the_proposal_ends(self, actors, make_request):
        req = demo.take(make_request(State.DECISION), "decide_use_existing", actors)
        assert req.state == State.REJECTED and req.decision_needed is False
        reuse = ApplicationReuse.objects.get(request=req)
        assert reuse.application.name == "SRIKANDI"

    def test_a_retired_application_is_refused(self, clients, actors, make_request):
        req = make_request(State.DECISION)
        app = demo.general_application()
        Application.objects.filter(pk=app.pk).update(
            status=ApplicationStatus.RETIRED, retired_on=datetime.date(2026, 1, 2)
        )
        response = act(
            clients["kadis"],
            req,
            "decide_use_existing",
            {"application": app.pk, "reason": "Gunakan SRIKANDI."},
        )
        assert response.status_code == 200 and fresh(req).state == State.DECISION


class TestMeetings:
    def test_invitees_are_told_in_the_app_and_by_email_and_confirm(
        self, clients, users, actors, make_request, django_capture_on_commit_callbacks, settings
    ):
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        req = make_request(State.PRESENTATION)
        with django_capture_on_commit_callbacks(execute=True):
            response = clients["prakom"].post(
                reverse("workflow:meeting_schedule", args=[req.pk, "presentation"]),
                {
                    "date": datetime.date.today().isoformat(),
                    "time": "09:30",
                    "place": "",
                    "online_link": "https://zoom.example/j/1",
                    "invitees": [users["pemohon"].pk],
                },
            )
        assert response.status_code == 302
        notification = Notification.objects.get(
            recipient=users["pemohon"], kind=Notification.Kind.INVITATION
        )
        assert notification.request == req
        assert [m.to for m in mail.outbox] == [[users["pemohon"].email]]
        invitation = Invitation.objects.get(user=users["pemohon"])
        # Only the invited person confirms.
        other = clients["kasi"].post(
            reverse("workflow:invitation_confirm", args=[req.pk, invitation.pk])
        )
        assert other.status_code == 404
        page = clients["pemohon"].get(req.get_absolute_url()).content.decode()
        assert "Konfirmasi kehadiran" in page
        clients["pemohon"].post(
            reverse("workflow:invitation_confirm", args=[req.pk, invitation.pk])
        )
        invitation.refresh_from_db()
        assert invitation.confirmed_at is not None
        # Recording marks who came, and closes the meeting.
        req = demo.take(req, "record_presentation", actors)
        invitation.refresh_from_db()
        assert invitation.attended is False and Meeting.objects.get(request=req).held

    def test_recording_without_a_schedule_is_refused(self, actors, make_request):
        req = make_request(State.PRESENTATION)
        demo.attachment_upload(
            actor=actors["prakom"],
            request_id=req.pk,
            kind=AttachmentKind.PRESENTATION_MATERIAL,
            upload=demo.sample_upload(AttachmentKind.PRESENTATION_MATERIAL),
        )
        with pytest.raises(ActionIncomplete):
            take_record_presentation(
                actor=actors["prakom"],
                proposal_id=req.pk,
                revision=req.revision,
                **demo.default_kwargs("record_presentation", actors),
            )
        assert fresh(req).state == State.PRESENTATION

    def test_only_the_units_users_are_invited_and_only_by_prakom(self, users, actors, make_request):
        req = make_request(State.PRESENTATION)
        kwargs = {
            "proposal_id": req.pk,
            "kind": "presentation",
            "date": datetime.date.today(),
            "time": datetime.time(9),
            "place": "Ruang Rapat",
        }
        with pytest.raises(ActionIncomplete):
            meeting_schedule(actor=actors["prakom"], invitees=[users["pemohon2"]], **kwargs)
        with pytest.raises(ActionForbidden):
            meeting_schedule(actor=users["kasi"], invitees=[users["pemohon"]], **kwargs)
        meeting = meeting_schedule(actor=actors["prakom"], invitees=[users["pemohon"]], **kwargs)
        invitation = meeting.invitations.get()
        with pytest.raises(ActionForbidden):
            invitation_confirm(actor=users["pemohon2"], invitation_id=invitation.pk)


class TestUnitAgreement:
    def test_the_design_is_accepted_only_after_the_unit_agrees(
        self, clients, users, actors, make_request
    ):
        req = demo.walk(demo.create_draft(actors), actors, demo.HAPPY_PATH[:7])
        assert req.state == State.REVIEW
        with pytest.raises(ActionIncomplete):
            take_accept_review(actor=actors["prakom"], proposal_id=req.pk, revision=req.revision)
        req = demo.take(req, "request_agreement", actors)
        assert req.state == State.UNIT_AGREEMENT
        assert req in selectors.inbox(users["pemohon"])
        act(clients["pemohon"], req, "unit_request_changes", {"points": "Tambah kolom NIK."})
        req = fresh(req)
        with pytest.raises(ActionIncomplete):
            take_accept_review(actor=actors["prakom"], proposal_id=req.pk, revision=req.revision)
        req = demo.take(req, "request_agreement", actors)
        act(clients["pemohon"], req, "unit_agree", {"points": ""})
        answers = list(UnitAgreement.objects.filter(request=req))
        assert [(a.agreed, a.round, a.role, a.created_by) for a in answers] == [
            (False, 1, "pemohon", users["pemohon"]),
            (True, 1, "pemohon", users["pemohon"]),
        ]
        req = demo.take(fresh(req), "accept_review", actors)
        assert req.state == State.REPORT


class TestApplicationRecordAndHandover:
    def test_step_8_records_the_application_and_refuses_a_password(
        self, clients, actors, make_request
    ):
        req = make_request(State.REPORT)
        for kind in (AttachmentKind.MANUAL, AttachmentKind.REPORT):
            demo.attachment_upload(
                actor=actors["prakom"],
                request_id=req.pk,
                kind=kind,
                upload=demo.sample_upload(kind),
            )
        fields = {
            "summary": "Selesai.",
            "manual_version": "1.0",
            "application_url": "https://gizi.contoh.go.id",
            "source_repository": "https://git.contoh.go.id/gizi",
            "version": "2.1",
            "hosting": "pdn",
            "test_account_note": "password: rahasia123",
        }
        refused = act(clients["prakom"], req, "submit_report", fields)
        assert refused.status_code == 200 and fresh(req).state == State.REPORT
        fields["test_account_note"] = "Akun penguji01, minta akses ke Prakom"
        assert act(clients["prakom"], req, "submit_report", fields).status_code == 302
        release = Release.objects.get(proposal=req)
        assert (release.url, release.version, release.hosting) == (
            "https://gizi.contoh.go.id",
            "2.1",
            "pdn",
        )
        # The checkers see it on the proposal page.
        page = clients["kasi"].get(req.get_absolute_url()).content.decode()
        assert "https://git.contoh.go.id/gizi" in page and "Akun penguji01" in page

    def test_the_handover_enters_the_application_in_the_catalogue(
        self, users, actors, make_request
    ):
        req = make_request(State.COMPLETED)
        app = Application.objects.get(proposal=req)
        assert app.status == ApplicationStatus.ACTIVE and app.unit_id == req.unit_id
        assert req.handover.receiver == users["pemohon"]
        assert Release.objects.get(proposal=req).application == app


class TestLateReason:
    def test_a_late_step_asks_why_and_the_log_keeps_it(self, clients, make_request):
        with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=JKT), tick=False):
            req = make_request(State.RECEIVE)
        with time_machine.travel(datetime.datetime(2026, 3, 10, 9, tzinfo=JKT), tick=False):
            fields = {
                "agenda_number": "AG-9",
                "received_date": "2026-03-10",
                "sifat": "biasa",
                "study_notes": "",
            }
            response = act(clients["kasi"], req, "receive", fields)
            assert (
                response.status_code == 200 and "Alasan keterlambatan" in response.content.decode()
            )
            assert fresh(req).state == State.RECEIVE
            act(clients["kasi"], req, "receive", {**fields, "late_reason": "Kasi dinas luar."})
            assert fresh(req).state == State.KASI_FORWARD
            log = TransitionLog.objects.get(request=req, transition="receive")
            assert log.late_reason == "Kasi dinas luar."
            page = clients["pemohon"].get(req.get_absolute_url()).content.decode()
            assert "Kasi dinas luar." in page

    def test_a_step_on_time_does_not_ask(self, make_request):
        from workflow.forms import StudyReceiveForm

        req = make_request(State.RECEIVE)
        assert "late_reason" not in StudyReceiveForm(req=req).fields


class TestWhoSeesWhat:
    def test_the_unit_reads_no_internal_notes(self, clients, actors, make_request):
        req = demo.create_draft(actors)
        req = demo.take(req, "submit", actors)
        req = demo.take(req, "receive", actors, note="Telaah internal: anggaran lemah.")
        req = demo.take(req, "forward_to_kabid", actors, note="Disposisi: mohon dikaji.")
        req = demo.take(req, "kabid_return_to_unit", actors, note="Lengkapi data pribadi.")
        unit_page = clients["pemohon"].get(req.get_absolute_url()).content.decode()
        kasi_page = clients["kasi"].get(req.get_absolute_url()).content.decode()
        for internal in ("Telaah internal: anggaran lemah.", "Disposisi: mohon dikaji."):
            assert internal in kasi_page
            assert internal not in unit_page
        # What was asked of the unit, the state and the dates it does see.
        assert "Lengkapi data pribadi." in unit_page
        assert "Dikembalikan kepada Perangkat Daerah untuk dilengkapi" in unit_page

    def test_the_study_checklist_is_for_diskominfo_only(self, clients, make_request):
        req = make_request(State.UNIT_COMPLETION)
        assert (
            "Telaah Kasi (daftar periksa, internal)"
            in clients["kasi"].get(req.get_absolute_url()).content.decode()
        )
        assert (
            "Telaah Kasi (daftar periksa, internal)"
            not in clients["pemohon"].get(req.get_absolute_url()).content.decode()
        )


@pytest.fixture(autouse=True)
def _client_users(clients, users):
    """Let a test name the person behind a client (``client.user_obj``)."""
    for name, client in clients.items():
        client.user_obj = users.get(name)


class TestInternalDocuments:
    def test_the_unit_neither_lists_nor_downloads_a_nota_dinas(
        self, clients, actors, make_request, django_capture_on_commit_callbacks, settings
    ):
        from reports.models import Document, DocumentKind

        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        req = make_request(State.KASI_FORWARD)
        with django_capture_on_commit_callbacks(execute=True):
            req = demo.take(req, "forward_to_kabid", actors)
        sheet = Document.objects.get(request=req, kind=DocumentKind.NOTA_DINAS)
        url = reverse("reports:download", args=[req.pk, sheet.pk])
        assert clients["kasi"].get(url).status_code == 200
        assert clients["pemohon"].get(url).status_code == 404
        assert url not in clients["pemohon"].get(req.get_absolute_url()).content.decode()
        assert url in clients["kasi"].get(req.get_absolute_url()).content.decode()
