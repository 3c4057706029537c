"""Each kind of document read back from its PDF: the parts an archivist checks.

One completed proposal (staff with NIP and rank, the Kasi returning the first report)
gives every checkpoint kind; the undangan and the berita acara serah terima, which no
checkpoint issues yet, are built from plain data. Page 1 of each kind is saved as a PNG
under test-artifacts/documents/ for a person to look at.
"""

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from reports import formatting
from reports.kinds import SPECS, signers_for
from reports.models import Document, DocumentKind, DocumentStatus, Letterhead
from reports.pdf import html_to_pdf
from reports.render import document_html_from
from requests_intake.models import ApplicationRequest
from tests.reports.conftest import pdf_bytes, pdf_pages
from workflow import demo
from workflow.states import Role, State

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "documents"

PATH = (
    *demo.HAPPY_PATH[: demo.HAPPY_PATH.index("submit_report") + 1],
    "kasi_return",
    "submit_report",
    "kasi_accept",
    "kabid_accept",
    "kadis_accept",
    "finish_socialisation",
)

# A signature block as printed: the name, then the rank, then the NIP.
BLOCKS = {
    "kasi": ("Kasi", "Penata Tingkat I (III/d)", "NIP. 19820315 200801 2 003"),
    "kabid": ("Kabid", "Pembina (IV/a)", "NIP. 19760821 200012 1 001"),
    "kadis": ("Ir. Kadis, M.T.", "Pembina Utama Muda (IV/c)", "NIP. 19690510 199403 1 005"),
    "prakom": ("Prakom", "Penata Muda (III/a)", "NIP. 19940722 201903 1 002"),
}


def flat(text: str) -> str:
    return " ".join(text.split())


def text_of(doc: Document) -> str:
    return flat("\n".join(pdf_pages(pdf_bytes(doc))))


def has_block(text: str, who: str) -> bool:
    name, rank, nip = BLOCKS[who]
    return f"{name} {rank} {nip}" in text


def save_first_page(content: bytes, name: str, page: int = 1) -> None:
    if shutil.which("pdftoppm") is None:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(content)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            source,
            source.with_suffix(""),
        ],
        check=True,
        timeout=60,
    )
    source.unlink()


@pytest.fixture
def staffed(actors):
    demo.give_staff_records(actors)
    return actors


@pytest.fixture
def completed(staffed, walk) -> ApplicationRequest:
    req = walk(demo.create_draft(staffed, app_name="Sistem Informasi Gizi Balita"), PATH)
    assert req.state == State.COMPLETED
    assert not Document.objects.exclude(status=DocumentStatus.READY).exists()
    return req


def of_kind(req, kind: str) -> list[Document]:
    return list(Document.objects.filter(request=req, kind=kind).order_by("pk"))


def test_every_kind_carries_its_required_parts(completed):
    docs = {kind: of_kind(completed, kind) for kind in DocumentKind.values}
    registration = completed.registration_number
    for kind, found in docs.items():
        for index, doc in enumerate(found):
            if index == 0 or kind == DocumentKind.REPORT:
                save_first_page(pdf_bytes(doc), f"{kind}-{index + 1}")
            if kind == DocumentKind.REPORT:  # and its lembar pengesahan
                save_first_page(pdf_bytes(doc), f"{kind}-{index + 1}-pengesahan", doc.pages)

    receipt = text_of(docs[DocumentKind.RECEIPT][0])
    assert "TANDA TERIMA USULAN" in receipt
    assert f"Nomor registrasi usulan: {registration}" in receipt
    assert "Nomor: " not in receipt and "500.12/" not in receipt  # a working paper
    assert "Yang menerima, KEPALA SEKSI" in receipt and has_block(receipt, "kasi")

    to_kabid, to_kadis = (text_of(d) for d in docs[DocumentKind.NOTA_DINAS])
    for text, sender, addressee in (
        (to_kabid, "kasi", "Kepala Bidang Layanan e-Government"),
        (to_kadis, "kabid", "Kepala Dinas Komunikasi dan Informatika"),
    ):
        assert "NOTA DINAS" in text and f"Yth. : {addressee}" in text
        assert "Hal : Usulan Pembuatan Aplikasi Sistem Informasi Gizi Balita" in text
        assert "Nomor : 500.12/" in text and "Sifat : Biasa" in text
        assert "Lampiran : 1 (satu) berkas usulan" in text
        assert "Usulan lengkap." in text  # the Kasi's study
        # ... and its checklist, printed in the telaahan.
        assert "KAK/TOR dilampirkan" in text and "Hosting" in text
        assert has_block(text, sender)
        assert "Dengan hormat harap" not in text  # no disposition upward
    assert "Dari : Kepala Seksi" in to_kabid and "Tembusan : —" in to_kabid
    assert "Dari : Kepala Bidang" in to_kadis

    disposition = text_of(docs[DocumentKind.KADIS_DISPOSITION][0])
    assert "LEMBAR DISPOSISI" in disposition and "Nomor agenda: AG-001" in disposition
    assert "Diteruskan kepada:" in disposition
    for addressee in ("Kepala Bidang", "Kepala Seksi", "Staf Pranata Komputer (Prakom)"):
        assert addressee in disposition
    assert "Proses lebih lanjut sesuai SOP" in disposition and has_block(disposition, "kadis")
    assert f"Nomor registrasi usulan: {registration}" in disposition

    letter = text_of(docs[DocumentKind.LETTER][0])
    for part in (
        "Nomor : 500.12/",
        "Sifat : Biasa",
        "Lampiran : —",
        "Hal : Persetujuan Usulan Pembuatan Aplikasi",
        "Yth. Kepala Dinas Kesehatan di Tempat",
        "nomor 027/123/2026",
        "disetujui",
        "Mendukung SPBE daerah.",
        "Tembusan: Kepala Bidang Layanan e-Government; Kepala Seksi",
    ):
        assert part in letter, part
    assert "Contoh, " + formatting.tanggal(docs[DocumentKind.LETTER][0].issued_at) in letter
    assert "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA" in letter.upper()
    assert has_block(letter, "kadis") and "KEPUTUSAN" not in letter

    for kind in (DocumentKind.PRESENTATION, DocumentKind.SOCIALISATION):
        text = text_of(docs[kind][0])
        assert "Nomor: 500.12/" in text
        assert formatting.pembuka_berita_acara(timezone.localdate()) in text
        assert "DAFTAR HADIR No. Nama Jabatan / unit Tanda tangan" in text
        assert "1. .................." in text and "2. .................." in text
        assert has_block(text, "prakom") and "Mengetahui," in text and has_block(text, "kasi")

    for kind in (DocumentKind.DESIGN, DocumentKind.REVIEW):
        text = text_of(docs[kind][0])
        assert f"Nomor registrasi usulan: {registration}" in text and "500.12/" not in text
        assert has_block(text, "prakom")

    _check_laporan_one_number_per_round_and_sign_off_fills(docs[DocumentKind.REPORT])


def _check_laporan_one_number_per_round_and_sign_off_fills(reports):
    texts = [text_of(d) for d in reports]
    first, returned, second, kasi_ok, kabid_ok, kadis_ok = texts
    assert reports[0].number == reports[1].number != reports[2].number
    assert {d.number for d in reports[2:]} == {reports[2].number}
    for text in texts:
        assert "LEMBAR PENGESAHAN" in text and "Disusun oleh" in text
        assert has_block(text, "prakom")
    assert first.count("Belum diperiksa") == 3
    assert "Dikembalikan oleh Kepala Seksi" in returned and "Lengkapi bab pengujian." in returned
    assert returned.count("Belum diperiksa") == 3  # a return fills no block
    assert second.count("Belum diperiksa") == 3 and "Riwayat pengembalian" in second
    assert kasi_ok.count("Belum diperiksa") == 2 and has_block(kasi_ok, "kasi")
    assert kabid_ok.count("Belum diperiksa") == 1 and has_block(kabid_ok, "kabid")
    assert "Belum diperiksa" not in kadis_ok and has_block(kadis_ok, "kadis")
    assert "Disetujui / Mengetahui" in kadis_ok


# What closes each kind: on the page with the last signature block this must stand too.
CLOSINGS = {
    DocumentKind.RECEIPT: "Tanda terima ini bukan surat dinas",
    DocumentKind.NOTA_DINAS: "Demikian disampaikan",
    DocumentKind.KADIS_DISPOSITION: "Paraf dan tanggal",
    DocumentKind.LETTER: "Demikian disampaikan",
    DocumentKind.DESIGN: "Nilai SHA-256 di atas",
    DocumentKind.REVIEW: "Hasil reviu",
    DocumentKind.PRESENTATION: "Demikian berita acara",
    DocumentKind.SOCIALISATION: "Demikian berita acara",
    DocumentKind.HANDOVER: "Demikian berita acara serah terima",
    DocumentKind.INVITATION: "Mengingat pentingnya acara tersebut",
    DocumentKind.REPORT: "LEMBAR PENGESAHAN",
}


def test_no_signature_block_stands_alone_on_a_page(completed):
    for doc in Document.objects.filter(request=completed):
        pages = [flat(p) for p in pdf_pages(pdf_bytes(doc))]
        signed = [p for p in pages if "NIP. " in p]
        assert signed, doc.title
        for page in signed:
            if "DAFTAR HADIR" in page and "NIP. " not in page.split("DAFTAR HADIR")[0]:
                continue
            assert CLOSINGS[doc.kind] in page, (doc.title, page[:200])


@pytest.mark.parametrize("lines", [20, 26, 32, 38, 44])
def test_a_long_berita_acara_keeps_its_closing_with_the_signatures(staffed, walk, lines):
    """Whatever the length of the text, the closing and the blocks move as one."""
    req = walk(demo.create_draft(staffed), demo.HAPPY_PATH[:6])
    points = "\n".join(f"Masukan pengguna nomor {n} tentang tampilan." for n in range(lines))
    req = demo.take(req, "record_presentation", staffed, note=points)
    # Rendered here directly: the fixture's committing wrapper is not around this take.
    from reports import services

    log = req.log.order_by("-pk").first()
    doc = Document.objects.get(log=log)
    services.document_render(document_id=doc.pk)
    doc.refresh_from_db()
    pages = [flat(p) for p in pdf_pages(pdf_bytes(doc))]
    with_block = [p for p in pages if "Penyaji," in p]
    assert len(with_block) == 1
    assert "Demikian berita acara" in with_block[0] and has_block(with_block[0], "kasi")


def _plain_document(req, kind: str) -> Document:
    return Document(
        request=req,
        kind=kind,
        title="uji",
        number="500.12/77/DISKOMINFO/2026",
        year=2026,
        sequence=77,
        code="ABCD2345",
        issued_at=timezone.now(),
    )


def test_surat_undangan_from_plain_data(staffed, walk):
    req = walk(demo.create_draft(staffed), demo.HAPPY_PATH[:6])
    from reports.documents.base import Signers

    data = {
        "purpose": "presentasi rancangan sistem",
        "event": {
            "hari_tanggal": "Senin, 7 Desember 2026",
            "waktu": "09.00 WIB s.d. selesai",
            "tempat": "Ruang Rapat Diskominfo",
            "acara": "Presentasi rancangan sistem aplikasi",
        },
        "signer": Signers().of(staffed["kadis"], Role.KADIS),
        "copies": ["Kepala Bidang Layanan e-Government"],
    }
    rendered = html_to_pdf(document_html_from(_plain_document(req, "undangan"), data))
    text = flat("\n".join(pdf_pages(rendered.content)))
    save_first_page(rendered.content, "undangan-1")
    for part in (
        "Nomor : 500.12/77/DISKOMINFO/2026",
        "Hal : Undangan presentasi rancangan sistem",
        "Yth. Kepala Dinas Kesehatan di Tempat",
        "hari, tanggal : Senin, 7 Desember 2026",
        "waktu : 09.00 WIB s.d. selesai",
        "tempat : Ruang Rapat Diskominfo",
        "Tembusan: Kepala Bidang Layanan e-Government; Arsip.",
    ):
        assert part in text, part
    assert has_block(text, "kadis")


def test_berita_acara_serah_terima_from_plain_data(staffed, walk):
    req = walk(demo.create_draft(staffed), demo.HAPPY_PATH[:6])
    from reports.documents.base import Signers

    signers = Signers(academic_titles=False)
    data = {
        "held_on": datetime.date(2026, 12, 14),
        "place": "Aula Dinas Kesehatan",
        "first_party": signers.of(staffed["kadis"], Role.KADIS),
        "second_party": {"name": "dr. Rina Wati", "position": "Kepala Dinas Kesehatan"},
        "items": ["Kode sumber aplikasi", "Buku manual versi 1.0", "Akun administrator"],
        "application": {"name": "Sistem Informasi Contoh", "url": "https://contoh.go.id"},
    }
    rendered = html_to_pdf(document_html_from(_plain_document(req, "ba_serah_terima"), data))
    text = flat("\n".join(pdf_pages(rendered.content)))
    save_first_page(rendered.content, "ba_serah_terima-1")
    assert "BERITA ACARA SERAH TERIMA APLIKASI" in text and "Nomor: 500.12/77/" in text
    assert formatting.pembuka_berita_acara(datetime.date(2026, 12, 14)) in text
    assert "PIHAK PERTAMA" in text and "PIHAK KEDUA" in text
    assert "3 (tiga) kelengkapan" in text and "Akun administrator" in text
    # This kind's setting here: no academic titles in the name.
    assert "Kadis Pembina Utama Muda (IV/c) NIP. 19690510 199403 1 005" in text
    assert "Ir. Kadis" not in text


def test_academic_titles_follow_the_kind_setting(staffed, walk):
    letterhead = Letterhead.load()
    setting = letterhead.numbering_for(DocumentKind.LETTER)
    setting.academic_titles = False
    setting.save()
    req = walk(demo.create_draft(staffed), demo.path_to(State.DESIGN))
    letter = text_of(of_kind(req, DocumentKind.LETTER)[0])
    disposition = text_of(of_kind(req, DocumentKind.KADIS_DISPOSITION)[0])
    assert "Kadis Pembina Utama Muda (IV/c)" in letter and "Ir. Kadis" not in letter
    assert "Ir. Kadis, M.T." in disposition  # another kind keeps its default


def test_an_acting_official_signs_as_plt_with_own_rank_and_nip(staffed, walk, users):
    from workflow.models import ActingAssignment

    today = timezone.localdate()
    ActingAssignment.objects.create(
        user=staffed["kabid"],
        role=Role.KADIS,
        kind="plt",
        absent_official=staffed["kadis"],
        decree_number="800/1/2026",
        start_date=today,
        end_date=today,
    )
    actors = {**staffed, "kadis": staffed["kabid"]}
    req = walk(demo.create_draft(staffed), ("submit", "receive", "forward_to_kabid"))
    req = walk(req, ("forward_to_kadis", "decide_needed"), actors)
    letter = text_of(of_kind(req, DocumentKind.LETTER)[0])
    assert "Plt. KEPALA DINAS KOMUNIKASI DAN INFORMATIKA" in letter
    assert has_block(letter, "kabid") and "19690510" not in letter


def test_signer_slots_are_declared_for_every_issued_kind():
    from reports.documents import CHECKPOINTS

    for transition, kinds in CHECKPOINTS.items():
        for kind in kinds:
            slots = signers_for(kind, transition)
            if kind != DocumentKind.RECORD:
                assert slots, kind
            assert all(s.role in {*Role.values, "unit"} for s in slots), (kind, transition)
    assert [s.role for s in signers_for("nota_dinas", "forward_to_kadis")] == [Role.KABID]
    assert [s.role for s in SPECS["laporan"].signers] == [
        Role.PRAKOM,
        Role.KASI,
        Role.KABID,
        Role.KADIS,
    ]


def test_a_hyphenated_title_is_not_broken_at_its_hyphen_on_the_lembar_pengesahan(staffed, walk):
    """The Kabid's title breaks before "E-GOVERNMENT", never at its hyphen; the PDF keeps the
    ordinary hyphen, so the title is found when the text is searched or copied."""
    path = demo.HAPPY_PATH[: demo.HAPPY_PATH.index("kabid_accept") + 1]
    req = walk(demo.create_draft(staffed), path)
    sign_off = pdf_pages(pdf_bytes(of_kind(req, DocumentKind.REPORT)[-1]))[-1]
    lines = [line.strip() for line in sign_off.splitlines()]
    assert not [line for line in lines if line.endswith("-")], lines
    kabid = lines.index("E-GOVERNMENT")
    assert lines[kabid - 1] == "KEPALA BIDANG LAYANAN" and lines[kabid + 1] == "Kabid"
