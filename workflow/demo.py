"""Demo material: small valid documents and a driver that walks a proposal through the SOP.

Used by ``seed_demo`` (never in production) and by the test suite to reach a state the
honest way, through the services.
"""

import datetime
import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from requests_intake.models import ApplicationRequest, AttachmentKind
from requests_intake.services import attachment_upload, request_create
from workflow.models import Instruction, MeetingKind, Sifat
from workflow.states import ACTOR_OF_STATE, State
from workflow.transitions import TRANSITIONS


def sample_pdf(text: str = "Dokumen contoh") -> bytes:
    """A tiny, valid one-page PDF."""
    safe = text.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _ooxml(main_part: str, content_type: str, body: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{main_part}" ContentType="{content_type}"/></Types>',
        )
        archive.writestr(main_part, body)
    return out.getvalue()


def sample_docx(text: str = "Dokumen contoh") -> bytes:
    return _ooxml(
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
    )


def sample_pptx() -> bytes:
    return _ooxml(
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
    )


def sample_upload(kind: str) -> SimpleUploadedFile:
    label = AttachmentKind(kind).label
    if kind in (AttachmentKind.PRESENTATION_MATERIAL, AttachmentKind.SOCIALISATION_MATERIAL):
        return SimpleUploadedFile(f"{kind}.pptx", sample_pptx())
    if kind in (AttachmentKind.MANUAL, AttachmentKind.REPORT, AttachmentKind.DATA_STRUCTURE):
        return SimpleUploadedFile(f"{kind}.docx", sample_docx(str(label)))
    return SimpleUploadedFile(f"{kind}.pdf", sample_pdf(str(label)))


def proposal_data(app_name: str = "Sistem Informasi Contoh", **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "letter_number": "027/123/2026",
        "letter_date": today - datetime.timedelta(days=3),
        "app_name": app_name,
        "background": "Pendataan masih dilakukan dengan lembar kerja terpisah di tiap bidang.",
        "objectives": "Data terintegrasi, mudah dicari, dan laporan tersedia setiap saat.",
        "business_processes": "Pendaftaran, verifikasi, rekapitulasi, pelaporan bulanan.",
        "intended_users": "Staf bidang dan pimpinan Perangkat Daerah.",
        "user_count": 25,
        "data_description": "Data layanan, data pemohon layanan, dan rekap bulanan.",
        "has_personal_data": True,
        "has_sensitive_personal_data": False,
        "integration_needs": "Integrasi dengan data kependudukan (NIK).",
        "hosting_preference": "pdd",
        "funding_source": "apbd_kominfo",
        "desired_completion": today + datetime.timedelta(days=120),
        "general_app_considered": False,
        "general_app_notes": "",
        "contact_name": "Siti Rahmawati",
        "contact_position": "Kepala Subbagian Umum",
        "contact_phone": "0812-3456-7890",
        "contact_email": "siti@example.go.id",
        "signer_name": "dr. Hendra Kusuma, M.Kes.",
        "signer_nip": "197805122005011004",
        "signer_position": "Kepala Dinas Kesehatan",
    }
    data.update(overrides)
    return data


def default_kwargs(name: str, actors: dict, *, note: str = "") -> dict:
    """Plausible input for transition ``name`` (what the step's form would send)."""
    today = timezone.localdate()
    people = [
        {"name": "Siti Rahmawati", "unit": "Perangkat Daerah pemohon", "position": "Kasubbag"},
        {"name": "Andi Pratama", "unit": "Diskominfo", "position": "Pranata Komputer"},
    ]
    options: dict[str, dict[str, Any]] = {
        "submit": {},
        "receive": {
            "agenda_number": "AG-001",
            "received_date": today,
            "sifat": Sifat.BIASA,
            "study_notes": note or "Usulan lengkap.",
            "checklist": {
                "letter_signed": True,
                "tor_attached": True,
                "existing_app": "",
                "personal_data": "Data balita dan orang tua; dasar: tugas pelayanan kesehatan.",
                "budget": "APBD Diskominfo tahun berjalan.",
                "hosting": "pdd",
                "note": "",
            },
        },
        "forward_to_kabid": {"instructions": [Instruction.PROCESS], "note": note},
        "forward_to_kadis": {"instructions": [Instruction.DECIDE], "note": note},
        "decide_needed": {
            "reason": note or "Mendukung SPBE daerah.",
            "prakom": actors.get("prakom"),
        },
        "decide_not_needed": {"reason": note or "Sudah tersedia Aplikasi Umum yang sesuai."},
        "finish_design": {"summary": note or "Struktur data, alur program dan antarmuka."},
        "record_presentation": {
            "held_on": today,
            "place": "Ruang Rapat Diskominfo",
            "attendees": people,
            "points_raised": note or "Tambah ekspor.",
        },
        "accept_review": {
            "requested_changes": "Tambah ekspor Excel.",
            "changes_made": note or "Ekspor Excel ditambahkan.",
        },
        "request_another_round": {
            "requested_changes": "Ubah alur verifikasi.",
            "changes_made": note or "Alur verifikasi diubah.",
        },
        "submit_report": {
            "summary": note or "Aplikasi selesai dibangun dan diuji.",
            "manual_version": "1.0",
            "application_url": "https://contoh.go.id",
            "release": {
                "url": "https://contoh.go.id",
                "source_repository": "https://git.contoh.go.id/diskominfo/aplikasi",
                "version": "1.0.0",
                "hosting": "pdd",
                "test_account_note": "Akun uji penguji01; aksesnya diminta kepada Prakom",
            },
        },
        "kasi_accept": {"note": note},
        "kabid_accept": {"note": note},
        "kadis_accept": {"note": note},
        "kasi_return": {"note": note or "Lengkapi bab pengujian."},
        "kabid_return": {"note": note or "Tambahkan tangkapan layar."},
        "kadis_return": {"note": note or "Perbaiki ringkasan."},
        "finish_socialisation": {
            "held_on": today,
            "place": "Aula Perangkat Daerah",
            "participants": people,
            "material": note or "Penggunaan.",
            "handover": {"receiver": actors.get("pemohon"), "note": note},
        },
        "kasi_return_to_unit": {
            "missing": note or "Lampirkan KAK/TOR dan surat yang ditandatangani kepala dinas.",
            "checklist": {"letter_signed": False, "tor_attached": False, "hosting": "pdd"},
        },
        "kabid_return_to_kasi": {"missing": note or "Telaah ulang kebutuhan anggaran."},
        "kabid_return_to_unit": {"missing": note or "Lengkapi rincian data pribadi."},
        "resubmit": {"completion_note": note or "KAK/TOR dan surat pengganti diunggah."},
        "request_agreement": {"note": note},
        "unit_agree": {"points": note},
        "unit_request_changes": {"points": note or "Tambah kolom NIK pada formulir."},
        "decide_use_existing": {
            "reason": note or "Kebutuhan ini dilayani Aplikasi Umum yang sudah ada.",
            "application": general_application() if name == "decide_use_existing" else None,
        },
    }
    return options[name]


# Civil-service data of the demo people: NIPs whose birth date, start of service and sex
# digit fit the person, and ranks that fit the post.
STAFF_RECORDS: dict[str, dict[str, str]] = {
    "pemohon": {"nip": "198511302010012004", "rank": "III/c"},
    "pemohon2": {"nip": "198001052005011007", "rank": "III/b"},
    "kasi": {"nip": "198203152008012003", "rank": "III/d"},
    "kabid": {"nip": "197608212000121001", "rank": "IV/a"},
    "kadis": {
        "nip": "196905101994031005",
        "rank": "IV/c",
        "academic_prefix": "Ir.",
        "academic_suffix": "M.T.",
    },
    "prakom": {"nip": "199407222019031002", "rank": "III/a"},
}


def give_staff_records(people: dict) -> None:
    """Fill in NIP and rank of the demo people (by their demo key) where still empty."""
    for key, user in people.items():
        record = STAFF_RECORDS.get(key)
        if record is None or user.nip:
            continue
        for field, value in record.items():
            setattr(user, field, value)
        user.full_clean(exclude=["password"])
        user.save(update_fields=list(record))


def general_application():
    """An *Aplikasi Umum* in the catalogue, for the *gunakan aplikasi yang ada* decision."""
    from catalogue.models import Application, ApplicationKind
    from requests_intake.models import PerangkatDaerah

    found = Application.objects.in_use().filter(kind=ApplicationKind.UMUM).first()
    if found is not None:
        return found
    return Application.objects.create(
        name="SRIKANDI",
        unit=PerangkatDaerah.objects.order_by("pk").first(),
        kind=ApplicationKind.UMUM,
        purpose="Aplikasi Umum bidang kearsipan dinamis (tata naskah dinas elektronik).",
        url="https://srikandi.arsip.go.id",
        hosting="pdn",
    )


def transition_actor(req: ApplicationRequest, actors: dict):
    return actors[ACTOR_OF_STATE[req.state]]


def take(
    req: ApplicationRequest,
    name: str,
    actors: dict,
    *,
    note: str = "",
    with_documents: bool = True,
    fields: dict | None = None,
) -> ApplicationRequest:
    """Take transition ``name`` as the SOP actor of the current state, uploading what it needs.

    ``fields`` replace the plausible input of ``default_kwargs`` (by its top-level names).
    """
    actor = transition_actor(req, actors)
    if with_documents and req.state != State.DRAFT:
        present = set(req.attachments.values_list("kind", flat=True))
        for kind in TRANSITIONS[name].required_kinds:
            if kind not in present:
                attachment_upload(
                    actor=actor, request_id=req.pk, kind=kind, upload=sample_upload(kind)
                )
    if name in MEETING_OF:
        schedule_if_needed(req, MEETING_OF[name], actor, actors)
    late = {}
    if req.due_date is not None and req.due_date < timezone.localdate():
        late = {"late_reason": "Menunggu kelengkapan dokumen dari pihak terkait."}
    taken: ApplicationRequest = TRANSITIONS[name].service(
        actor=actor,
        proposal_id=req.pk,
        revision=req.revision,
        **late,
        **(default_kwargs(name, actors, note=note) | (fields or {})),
    )
    return taken


# The transitions that close a meeting: the demo schedules it first (the unit's users).
MEETING_OF = {
    "record_presentation": MeetingKind.PRESENTATION,
    "finish_socialisation": MeetingKind.SOCIALISATION,
}


def schedule_if_needed(req: ApplicationRequest, kind: str, actor, actors: dict):
    """The meeting of the step, scheduled now (inviting the unit's pemohon) if it was not."""
    from workflow.services import meeting_schedule, pending_meeting

    found = pending_meeting(req, kind)
    if found is not None:
        return found
    return meeting_schedule(
        actor=actor,
        proposal_id=req.pk,
        kind=kind,
        date=timezone.localdate(),
        time=datetime.time(9, 0),
        place="Ruang Rapat Diskominfo",
        invitees=[actors["pemohon"]],
    )


HAPPY_PATH = (
    "submit",
    "receive",
    "forward_to_kabid",
    "forward_to_kadis",
    "decide_needed",
    "finish_design",
    "record_presentation",
    "request_agreement",
    "unit_agree",
    "accept_review",
    "submit_report",
    "kasi_accept",
    "kabid_accept",
    "kadis_accept",
    "finish_socialisation",
)


# Heads of the demo units who sign their unit's request letter (by unit code), and a default.
UNIT_HEADS = {
    "DINKES": ("dr. Hendra Kusuma, M.Kes.", "197805122005011004"),
    "DISDIK": ("Drs. Bambang Sutrisno, M.Pd.", "196904151994031006"),
    "DISDUKCAPIL": ("Yulia Kartikasari, S.H., M.H.", "197511202000122002"),
    "BAPPEDA": ("Ir. Agus Setiawan, M.T.", "197208081998031008"),
}


def letter_signer(unit) -> dict:
    """The head of ``unit`` signing its request letter, and the person to contact."""
    name, nip = UNIT_HEADS.get(getattr(unit, "code", ""), UNIT_HEADS["DINKES"])
    return {"signer_name": name, "signer_nip": nip, "signer_position": f"Kepala {unit.name}"}


def create_draft(actors: dict, **overrides) -> ApplicationRequest:
    pemohon = actors["pemohon"]
    unit_fields = {}
    if pemohon.unit is not None:
        unit_fields = letter_signer(pemohon.unit)
        unit_fields["contact_name"] = pemohon.get_full_name() or unit_fields["signer_name"]
    return request_create(
        actor=pemohon,
        data=proposal_data(**{**unit_fields, **overrides}),
        letter_file=SimpleUploadedFile("surat.pdf", sample_pdf("Surat permintaan")),
        kak_file=SimpleUploadedFile("kak.pdf", sample_pdf("Kerangka Acuan Kerja")),
    )


def walk(req: ApplicationRequest, actors: dict, path) -> ApplicationRequest:
    for name in path:
        req = take(req, name, actors)
    return req


def path_to(state: str) -> tuple[str, ...]:
    """The transitions that take a new draft to ``state`` (happy path, or rejection)."""
    if state == State.REJECTED:
        return (*HAPPY_PATH[:4], "decide_not_needed")
    if state == State.DRAFT:
        return ()
    if state == State.UNIT_COMPLETION:
        return (*HAPPY_PATH[:1], "kasi_return_to_unit")
    # Walk the happy path until the proposal stands in ``state``.
    order: list[str] = [
        State.RECEIVE,
        State.KASI_FORWARD,
        State.KABID_FORWARD,
        State.DECISION,
        State.DESIGN,
        State.PRESENTATION,
        State.REVIEW,
        State.UNIT_AGREEMENT,
        State.REVIEW,
        State.REPORT,
        State.KASI_CHECK,
        State.KABID_CHECK,
        State.KADIS_CHECK,
        State.SOCIALISATION,
        State.COMPLETED,
    ]
    # The review stands twice: the later one, with the unit's agreement, can be accepted.
    return HAPPY_PATH[: len(order) - order[::-1].index(state)]
