"""Whole proposals through the pages, logged in as each role in turn (Django test client)."""

import datetime
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from requests_intake.models import ApplicationRequest, Attachment, AttachmentKind
from tests.workflow.test_act import act, state_of, upload
from workflow import demo
from workflow.models import (
    Check,
    Decision,
    Disposition,
    PresentationRound,
    Receipt,
    ReportRecord,
    ReviewRound,
    Socialisation,
    TransitionLog,
)
from workflow.states import State

TODAY = timezone.localdate()


def proposal_post(**overrides) -> dict:
    data = demo.proposal_data(app_name="Sistem Informasi Stunting")
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    data["letter_date"] = (TODAY - datetime.timedelta(days=2)).isoformat()
    data["desired_completion"] = (TODAY + datetime.timedelta(days=90)).isoformat()
    data["letter_file"] = SimpleUploadedFile("Surat Permintaan.pdf", demo.sample_pdf())
    data["kak_file"] = SimpleUploadedFile("KAK.pdf", demo.sample_pdf("KAK"))
    data.update(overrides)
    return data


def schedule(client, req, kind: str, invitees, **overrides):
    """Prakom schedules the presentation or socialisation through its form."""
    data = {
        "date": TODAY.isoformat(),
        "time": "09:00",
        "place": "Ruang Rapat",
        "online_link": "",
        "agenda": "",
        "invitees": [u.pk for u in invitees],
        **overrides,
    }
    response = client.post(reverse("workflow:meeting_schedule", args=[req.pk, kind]), data)
    assert response.status_code == 302, response.content[:3000]


def test_full_sop_with_second_round_and_a_return_at_each_check(clients, users):
    pemohon, kasi, kabid, kadis, prakom = (
        clients[r] for r in ("pemohon", "kasi", "kabid", "kadis", "prakom")
    )
    # Step 1: the unit fills the form, attaches the letter, submits.
    response = pemohon.post(reverse("requests_intake:create"), proposal_post())
    assert response.status_code == 302
    req = ApplicationRequest.objects.get()
    assert req.state == State.DRAFT and req.unit == users["pemohon"].unit
    assert set(req.attachments.values_list("kind", flat=True)) == {
        AttachmentKind.REQUEST_LETTER,
        AttachmentKind.KAK_TOR,
    }
    assert act(pemohon, req, "submit").status_code == 302
    req.refresh_from_db()
    assert req.state == State.RECEIVE
    assert re.fullmatch(rf"PA-{TODAY.year}-0001", req.registration_number)

    # The Kasi finds it in the inbox.
    inbox = kasi.get(reverse("workflow:inbox"))
    assert req.registration_number in inbox.content.decode()
    assert (
        req.registration_number
        not in clients["kabid"].get(reverse("workflow:inbox")).content.decode()
    )

    # Steps 2–3.
    act(
        kasi,
        req,
        "receive",
        {
            "agenda_number": "045/AG/2026",
            "received_date": TODAY,
            "sifat": "segera",
            "study_notes": "Lengkap.",
        },
    )
    assert state_of(req) == State.KASI_FORWARD
    act(
        kasi,
        req,
        "forward_to_kabid",
        {"instructions": ["proses_lanjut", "koordinasikan"], "note": "Mohon arahan."},
    )
    act(kabid, req, "forward_to_kadis", {"instructions": ["mohon_keputusan"], "note": ""})
    assert state_of(req) == State.DECISION

    # Step 4: perlu, assigning the Prakom.
    act(kadis, req, "decide_needed", {"reason": "Prioritas daerah.", "prakom": users["prakom"].pk})
    req.refresh_from_db()
    assert req.state == State.DESIGN and req.assigned_prakom == users["prakom"]

    # Step 5 cannot finish without the design documents.
    response = act(prakom, req, "finish_design", {"summary": "Rancangan awal."})
    assert response.status_code == 200
    assert "Unggah dahulu" in response.content.decode()
    assert state_of(req) == State.DESIGN
    for kind in (
        AttachmentKind.DATA_STRUCTURE,
        AttachmentKind.PROGRAM_FLOW,
        AttachmentKind.INTERFACE_DESIGN,
    ):
        upload(prakom, req, kind)
    act(prakom, req, "finish_design", {"summary": "ERD, flowchart, mock-up."})
    assert state_of(req) == State.PRESENTATION

    # Steps 6–7, two rounds with the users.
    upload(prakom, req, AttachmentKind.PRESENTATION_MATERIAL)
    presentation = {
        "held_on": TODAY,
        "place": "Ruang Rapat",
        "points_raised": "Tambah peta.",
        "attendees": "Siti; Dinkes; Kasubbag\nAndi; Diskominfo; Prakom",
    }
    schedule(prakom, req, "presentation", [users["pemohon"]])
    act(prakom, req, "record_presentation", presentation)
    act(
        prakom,
        req,
        "request_another_round",
        {"requested_changes": "Tambah peta sebaran.", "changes_made": "Peta ditambahkan."},
    )
    assert state_of(req) == State.PRESENTATION
    schedule(prakom, req, "presentation", [users["pemohon"]])
    act(prakom, req, "record_presentation", presentation)
    # The design cannot be accepted before the unit agrees to this round.
    response = act(prakom, req, "accept_review", {"requested_changes": "", "changes_made": ""})
    assert "belum menyetujui" in response.content.decode()
    act(prakom, req, "request_agreement", {"note": ""})
    act(pemohon, req, "unit_agree", {"points": ""})
    act(
        prakom,
        req,
        "accept_review",
        {"requested_changes": "Tidak ada.", "changes_made": "Finalisasi."},
    )
    assert state_of(req) == State.REPORT
    assert list(PresentationRound.objects.filter(request=req).values_list("round", flat=True)) == [
        1,
        2,
    ]
    assert PresentationRound.objects.first().attendees[0] == {
        "name": "Siti",
        "unit": "Dinkes",
        "position": "Kasubbag",
    }

    # Step 8, then each check returns once before accepting.
    upload(prakom, req, AttachmentKind.MANUAL)
    upload(prakom, req, AttachmentKind.REPORT)
    report = {
        "summary": "Selesai.",
        "manual_version": "1.0",
        "application_url": "https://stunting.contoh.go.id",
        "source_repository": "https://git.contoh.go.id/stunting",
        "version": "1.0.0",
        "hosting": "pdd",
    }
    act(prakom, req, "submit_report", report)
    for checker, accept_name, return_name in (
        (kasi, "kasi_accept", "kasi_return"),
        (kabid, "kabid_accept", "kabid_return"),
        (kadis, "kadis_accept", "kadis_return"),
    ):
        # the checks already passed in this round
        for earlier, name in ((kasi, "kasi_accept"), (kabid, "kabid_accept")):
            if name == accept_name:
                break
            act(earlier, req, name, {"note": ""})
        act(checker, req, return_name, {"note": f"Perbaiki ({return_name})."})
        assert state_of(req) == State.REPORT
        act(prakom, req, "submit_report", report)
        assert state_of(req) == State.KASI_CHECK
    act(kasi, req, "kasi_accept", {"note": "OK"})
    act(kabid, req, "kabid_accept", {"note": "OK"})
    act(kadis, req, "kadis_accept", {"note": "OK"})
    assert state_of(req) == State.SOCIALISATION

    # Step 12.
    upload(prakom, req, AttachmentKind.SOCIALISATION_MATERIAL)
    schedule(prakom, req, "socialisation", [users["pemohon"]], place="Aula Dinkes")
    act(
        prakom,
        req,
        "finish_socialisation",
        {
            "held_on": TODAY,
            "place": "Aula Dinkes",
            "participants": "Siti; Dinkes; Kasubbag",
            "material": "Penggunaan aplikasi.",
            "receiver": users["pemohon"].pk,
        },
    )
    req.refresh_from_db()
    assert req.state == State.COMPLETED and req.completed_at is not None

    # What was recorded.
    assert Receipt.objects.get(request=req).agenda_number == "045/AG/2026"
    assert [d.to_role for d in Disposition.objects.filter(request=req)] == ["kabid", "kadis"]
    assert Decision.objects.get(request=req).needed is True
    assert [r.outcome for r in ReviewRound.objects.filter(request=req)] == [
        "another_round",
        "accepted",
    ]
    assert ReportRecord.objects.filter(request=req).count() == 4
    checks = list(Check.objects.filter(request=req).values_list("role", "accepted"))
    assert checks.count(("kasi", False)) == 1 and checks.count(("kabid", False)) == 1
    assert checks.count(("kadis", False)) == 1 and checks[-3:] == [
        ("kasi", True),
        ("kabid", True),
        ("kadis", True),
    ]
    assert Socialisation.objects.get(request=req).participants[-1]["name"] == "Siti"

    # One log row per transition, each with the person who took it.
    log = list(TransitionLog.objects.filter(request=req).select_related("actor"))
    expected = [
        "submit",
        "receive",
        "forward_to_kabid",
        "forward_to_kadis",
        "decide_needed",
        "finish_design",
        "record_presentation",
        "request_another_round",
        "record_presentation",
        "request_agreement",
        "unit_agree",
        "accept_review",
        "submit_report",
        "kasi_return",
        "submit_report",
        "kasi_accept",
        "kabid_return",
        "submit_report",
        "kasi_accept",
        "kabid_accept",
        "kadis_return",
        "submit_report",
        "kasi_accept",
        "kabid_accept",
        "kadis_accept",
        "finish_socialisation",
    ]
    assert [row.transition for row in log] == expected
    actor_of = {
        "submit": "pemohon",
        "receive": "kasi",
        "forward_to_kabid": "kasi",
        "forward_to_kadis": "kabid",
        "decide_needed": "kadis",
        "kasi_accept": "kasi",
        "kasi_return": "kasi",
        "kabid_accept": "kabid",
        "kabid_return": "kabid",
        "kadis_accept": "kadis",
        "kadis_return": "kadis",
        "unit_agree": "pemohon",
    }
    for row in log:
        assert row.actor.username == actor_of.get(row.transition, "prakom")
        assert row.role == actor_of.get(row.transition, "prakom")

    # The unit sees its proposal completed, with the progress bar full and the timeline.
    page = pemohon.get(req.get_absolute_url()).content.decode()
    assert "Selesai" in page
    assert page.count("sop-step sop-step-done") == 12
    # The officials' check notes are internal: the unit sees the returns, not what was noted.
    assert "Perbaiki (kadis_return)." not in page
    assert "Perbaiki (kadis_return)." in kasi.get(req.get_absolute_url()).content.decode()
    assert Attachment.objects.filter(request=req).count() == 9  # with the KAK/TOR
    # Handed over to the unit, and entered in the catalogue as active, linked to the proposal.
    from catalogue.models import Application, ApplicationStatus

    app = Application.objects.get(proposal=req)
    assert app.status == ApplicationStatus.ACTIVE and app.url == "https://stunting.contoh.go.id"
    assert req.handover.receiver == users["pemohon"] and req.handover.application == app
    assert "Serah terima aplikasi" in page and "https://git.contoh.go.id/stunting" in page


def test_rejection_path_tells_the_unit_why(clients, make_request):
    req = make_request(State.DECISION)
    response = act(clients["kadis"], req, "decide_not_needed", {"reason": ""})
    assert response.status_code == 200  # re-rendered with the error, nothing changed
    assert state_of(req) == State.DECISION
    act(clients["kadis"], req, "decide_not_needed", {"reason": "Sudah ada Aplikasi Umum SRIKANDI."})
    req.refresh_from_db()
    assert req.state == State.REJECTED and req.decision_needed is False
    page = clients["pemohon"].get(req.get_absolute_url()).content.decode()
    assert "Ditolak" in page and "Sudah ada Aplikasi Umum SRIKANDI." in page
    assert "Tindakan Anda" not in page
    assert TransitionLog.objects.filter(request=req, transition="decide_not_needed").count() == 1
