"""The SOP clicked through in a browser, each role logging in and out in turn."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from requests_intake.models import ApplicationRequest
from tests.e2e.ui import UI
from workflow import demo
from workflow.states import State

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
APP = "Sistem Informasi Posyandu Digital"


def fill_intake_form(ui: UI) -> None:
    page = ui.page
    today = timezone.localdate()
    form = page.locator("main form").filter(has=page.get_by_role("button", name="Simpan draf"))
    text = {
        "Nomor surat permintaan": "400.7/215/Dinkes/2026",
        "Tanggal surat permintaan": (today - datetime.timedelta(days=2)).isoformat(),
        "Nama aplikasi yang diusulkan": APP,
        "Latar belakang dan urgensi": "Data balita di 48 posyandu masih dicatat di buku.",
        "Tujuan dan manfaat": "Pemantauan gizi balita yang cepat dan akurat.",
        "Proses bisnis / fungsi yang didukung": "Penimbangan, imunisasi, rujukan, rekap bulanan.",
        "Pengguna yang dituju": "Kader posyandu, bidan desa, petugas gizi puskesmas.",
        "Perkiraan jumlah pengguna": "250",
        "Data yang akan dikelola": "Data balita, orang tua, hasil penimbangan.",
        "Kebutuhan integrasi / interoperabilitas": "NIK dari Disdukcapil.",
        "Target waktu penyelesaian": (today + datetime.timedelta(days=120)).isoformat(),
        "Nama narahubung": "Siti Rahmawati",
        "Jabatan narahubung": "Kepala Seksi Kesehatan Keluarga",
        "Telepon narahubung": "0812-3456-7890",
        "E-mail narahubung": "siti@dinkes.example.go.id",
        "Nama penanda tangan surat": "dr. Hendra Kusuma, M.Kes.",
        "NIP penanda tangan": "19780512 200501 1 004",
        "Jabatan penanda tangan": "Kepala Dinas Kesehatan",
    }
    for label, value in text.items():
        form.get_by_label(label).fill(value)
    form.get_by_label("Memuat data pribadi", exact=True).check()
    form.get_by_label("Preferensi penempatan (hosting)").select_option(
        label="Pusat Data Daerah (server Diskominfo)"
    )
    form.get_by_label("Sumber pendanaan").select_option(label="APBD melalui DPA Diskominfo")
    form.get_by_label("Pindaian surat permintaan (PDF)").set_input_files(
        {"name": "surat-permintaan.pdf", "mimeType": PDF, "buffer": demo.sample_pdf("Surat")}
    )
    form.get_by_label("Kerangka Acuan Kerja / TOR (PDF atau DOCX)").set_input_files(
        {"name": "kak.pdf", "mimeType": PDF, "buffer": demo.sample_pdf("KAK")}
    )


def open_own(ui: UI, number: str) -> None:
    """The pemohon opens its proposal from the list (it need not wait in the inbox)."""
    ui.nav("Daftar usulan")
    table = ui.page.get_by_role("table", name="Daftar usulan")
    table.get_by_role("row").filter(has_text=number).get_by_role("link", name=number).click()
    expect(ui.page.get_by_role("main")).to_contain_text(number)


def schedule(ui: UI, title: str, place: str) -> None:
    """Prakom schedules the meeting and invites the unit's user Pemohon."""
    section = ui.page.get_by_role("region", name=title)
    section.get_by_label("Tanggal").fill(timezone.localdate().isoformat())
    section.get_by_label("Waktu").fill("09:00")
    section.get_by_label("Tempat").fill(place)
    section.get_by_label("Pemohon", exact=True).check()
    section.get_by_role("button", name="Simpan jadwal dan kirim undangan").click()
    ui.expect_message("Jadwal disimpan; undangan dikirim kepada pengguna.")


def confirm_invitation(ui: UI, number: str) -> None:
    ui.login("pemohon")
    ui.nav("Notifikasi")
    expect(ui.page.get_by_role("main")).to_contain_text(f"{number}")
    open_own(ui, number)
    ui.page.get_by_role("button", name="Konfirmasi kehadiran").click()
    ui.expect_message("Kehadiran Anda dikonfirmasi.")
    expect(ui.page.get_by_text("Kehadiran dikonfirmasi", exact=True)).to_be_visible()
    ui.logout()


def test_whole_sop_by_clicking_as_each_role(ui: UI, users):
    """The whole SOP with the unit in it: returned once for completion, invited to the
    presentation (confirmed), asking for a change, agreeing, and receiving the handover."""
    page = ui.page

    # Step 1 — the pemohon fills the intake form, attaches the letter and submits.
    ui.login("pemohon")
    page.get_by_role("main").get_by_role("link", name="Buat usulan baru").click()
    expect(page.get_by_role("heading", name="Usulan pembuatan aplikasi baru")).to_be_visible()
    fill_intake_form(ui)
    page.get_by_role("button", name="Simpan draf").click()
    ui.expect_message("Draf usulan disimpan. Periksa lalu ajukan.")
    expect(page.get_by_role("heading", name=APP, level=1)).to_be_visible()
    expect(ui.documents()).to_contain_text("surat-permintaan.pdf")
    ui.expect_progress(done=0, current=1)
    ui.act(
        "Ajukan usulan",
        confirm="Ajukan usulan ini? Setelah diajukan, isinya tidak dapat diubah.",
        success="Usulan diajukan dan mendapat nomor registrasi.",
    )
    number = ApplicationRequest.objects.get(app_name=APP).registration_number
    expect(page.get_by_role("main")).to_contain_text(number)
    ui.expect_progress(done=1, current=2)
    ui.expect_timeline(1, "Menunggu diterima Kasi")
    expect(page.get_by_role("link", name="Ubah draf")).to_have_count(0)
    ui.expect_not_in_inbox(number)
    ui.logout()

    # Step 2 — the Kasi studies it (checklist) and returns it to the unit to be completed.
    ui.login("kasi")
    ui.open_from_inbox(number, step=2)
    ui.act(
        "Kembalikan untuk dilengkapi",
        {"Yang perlu dilengkapi": "Lampirkan surat yang ditandatangani Kepala Dinas Kesehatan."},
        checks=("KAK/TOR dilampirkan",),
        confirm="Kembalikan usulan ini kepada Perangkat Daerah untuk dilengkapi?",
        success="Usulan dikembalikan kepada Perangkat Daerah untuk dilengkapi.",
    )
    ui.expect_progress(done=0, current=1)
    expect(page.get_by_role("region", name="Bersama Perangkat Daerah")).to_contain_text(
        "Telaah Kasi (daftar periksa, internal)"
    )
    ui.logout()

    # Step 1 again — the unit uploads the signed letter and resubmits.
    ui.login("pemohon")
    ui.open_from_inbox(number, step=1)
    together = page.get_by_role("region", name="Bersama Perangkat Daerah")
    expect(together).to_contain_text("Lampirkan surat yang ditandatangani")
    expect(together).not_to_contain_text("Telaah Kasi")
    ui.upload(
        "Surat permintaan (pindaian)",
        "surat-bertanda-tangan.pdf",
        demo.sample_pdf("TTD"),
        PDF,
        version=2,
    )
    ui.act(
        "Ajukan kembali usulan yang telah dilengkapi",
        {"Yang telah dilengkapi": "Surat bertanda tangan Kepala Dinas diunggah."},
        confirm="Ajukan kembali usulan ini kepada Kasi?",
        success="Usulan yang telah dilengkapi diajukan kembali kepada Kasi.",
    )
    ui.expect_progress(done=1, current=2)
    ui.expect_timeline(3, "Menunggu diterima Kasi")
    ui.logout()

    # Steps 2–3 — the Kasi receives the letter and forwards it to the Kabid.
    ui.login("kasi")
    ui.open_from_inbox(number, step=2)
    ui.act(
        "Terima usulan",
        {"Nomor agenda": "AG-2026-114", "Hasil telaah": "Usulan lengkap dan sesuai SPBE."},
        selects={"Sifat": "Segera"},
        checks=("Surat ditandatangani kepala Perangkat Daerah dan ditujukan kepada Kepala Dinas",),
        success="Usulan diterima dan dicatat dalam buku agenda.",
    )
    ui.expect_progress(done=2, current=3)
    expect(page.get_by_role("region", name="Hasil tiap tahap")).to_contain_text("AG-2026-114")
    ui.act(
        "Teruskan kepada Kabid",
        {"Catatan disposisi": "Mohon arahan."},
        checks=("Proses lebih lanjut",),
        success="Usulan diteruskan kepada Kabid.",
    )
    ui.logout()

    # Step 3 — the Kabid forwards it to the Kepala Dinas.
    ui.login("kabid")
    ui.open_from_inbox(number, step=3)
    ui.act(
        "Sampaikan kepada Kepala Dinas",
        checks=("Mohon keputusan",),
        success="Usulan disampaikan kepada Kepala Dinas.",
    )
    ui.logout()

    # Step 4 — the Kepala Dinas decides *perlu* and assigns the Prakom staff.
    ui.login("kadis")
    ui.open_from_inbox(number, step=4)
    expect(ui.action_form("Gunakan aplikasi yang ada")).to_be_visible()
    ui.act(
        "Perlu — lanjutkan pembuatan",
        {"Pertimbangan": "Mendukung layanan kesehatan ibu dan anak."},
        selects={"Staf Pranata Komputer pelaksana": "Prakom"},
        confirm="Putuskan usulan ini PERLU dibuat?",
        success="Keputusan PERLU dicatat; usulan diteruskan ke Prakom.",
    )
    ui.expect_progress(done=4, current=5)
    ui.expect_timeline(7, "Perancangan sistem oleh Prakom")
    ui.logout()

    # Steps 5–6 — Prakom designs, then schedules the presentation with the unit's user.
    ui.login("prakom")
    ui.open_from_inbox(number, step=5)
    ui.upload("Rumusan struktur data", "struktur-data.docx", demo.sample_docx(), DOCX)
    ui.upload("Alur program", "alur-program.pdf", demo.sample_pdf("Alur"), PDF)
    ui.upload("Rancangan antarmuka", "antarmuka.pdf", demo.sample_pdf("UI"), PDF)
    ui.act(
        "Rancangan selesai",
        {"Ringkasan rancangan": "12 tabel, alur penimbangan dan rujukan, 9 layar."},
        success="Rancangan sistem dicatat.",
    )
    ui.expect_progress(done=5, current=6)
    schedule(ui, "Jadwalkan presentasi rancangan", "Ruang Rapat Dinas Kesehatan")
    ui.logout()

    # The unit's user confirms attendance in the app.
    confirm_invitation(ui, number)

    # Step 6 — Prakom records the presentation: who of the invited came.
    ui.login("prakom")
    ui.open_from_inbox(number, step=6)
    ui.upload("Materi presentasi", "materi.pptx", demo.sample_pptx(), PPTX)
    today = timezone.localdate().isoformat()
    ui.act(
        "Catat presentasi",
        {
            "Tanggal presentasi": today,
            "Tempat": "Ruang Rapat Dinas Kesehatan",
            "Peserta lain yang hadir": "Andi Pratama; Diskominfo",
            "Hal-hal yang disampaikan pengguna": "Minta grafik pertumbuhan per balita.",
        },
        checks=("Pemohon",),
        success="Presentasi kepada pengguna dicatat.",
    )
    ui.expect_progress(done=6, current=7)
    ui.act(
        "Minta persetujuan rancangan",
        success="Permintaan persetujuan rancangan dikirim kepada Perangkat Daerah.",
    )
    ui.logout()

    # Step 7 — the unit asks for a change.
    ui.login("pemohon")
    ui.open_from_inbox(number, step=7)
    ui.act(
        "Rancangan perlu perbaikan",
        {"Hal-hal yang perlu diperbaiki": "Tambah grafik pertumbuhan per balita."},
        confirm="Kirim permintaan perbaikan rancangan kepada Prakom?",
        success="Permintaan perbaikan rancangan dikirim kepada Prakom.",
    )
    ui.logout()

    # Prakom fixes the design and asks again; the unit agrees; Prakom accepts the design.
    ui.login("prakom")
    ui.open_from_inbox(number, step=7)
    expect(page.get_by_role("region", name="Bersama Perangkat Daerah")).to_contain_text(
        "Tambah grafik pertumbuhan per balita."
    )
    ui.act(
        "Minta persetujuan rancangan",
        {"Pesan kepada Perangkat Daerah": "Grafik sudah ditambahkan."},
        success="Permintaan persetujuan rancangan dikirim kepada Perangkat Daerah.",
    )
    ui.logout()
    ui.login("pemohon")
    ui.open_from_inbox(number, step=7)
    ui.act(
        "Rancangan disetujui",
        confirm="Nyatakan bahwa Perangkat Daerah menyetujui rancangan ini?",
        success="Persetujuan rancangan dicatat.",
    )
    ui.logout()
    ui.login("prakom")
    ui.open_from_inbox(number, step=7)
    ui.act(
        "Rancangan diterima pengguna",
        {
            "Permintaan perubahan dari pengguna": "Tambah grafik pertumbuhan.",
            "Perbaikan yang dilakukan": "Grafik ditambahkan.",
        },
        confirm="Catat bahwa pengguna menerima rancangan ini?",
        success="Reviu dicatat; lanjut ke buku manual dan laporan.",
    )
    ui.expect_progress(done=7, current=8)

    # Step 8 — the manual, the report and the application itself.
    ui.upload("Buku manual", "manual.docx", demo.sample_docx("Manual"), DOCX)
    ui.upload("Laporan hasil pembuatan aplikasi", "laporan.pdf", demo.sample_pdf("Lap"), PDF)
    report = {
        "Ringkasan laporan": "Aplikasi selesai dibangun dan diuji di 3 posyandu.",
        "Alamat aplikasi": "https://posyandu.contoh.go.id",
        "Catatan akun uji": "Akun kader01; akses diminta kepada Prakom.",
        "Repositori kode sumber": "https://git.contoh.go.id/posyandu",
        "Versi aplikasi": "1.0.0",
    }
    ui.act(
        "Serahkan manual dan laporan",
        report,
        selects={"Ditempatkan di": "Pusat Data Daerah (PDD)"},
        success="Manual dan laporan diserahkan kepada Kasi.",
    )
    ui.expect_progress(done=8, current=9)
    ui.logout()

    # Step 9 — the Kasi sees the application and returns the report once, with a note.
    ui.login("kasi")
    ui.open_from_inbox(number, step=9)
    expect(page.get_by_role("region", name="Bersama Perangkat Daerah")).to_contain_text(
        "https://git.contoh.go.id/posyandu"
    )
    ui.act(
        "Kembalikan untuk diperbaiki",
        {"Catatan perbaikan": "Lengkapi bab pengujian."},
        confirm="Kembalikan laporan ini kepada Prakom untuk diperbaiki?",
        success="Laporan dikembalikan kepada Prakom.",
    )
    ui.expect_progress(done=7, current=8)
    ui.logout()

    # Step 8 again — Prakom uploads a corrected report and resubmits.
    ui.login("prakom")
    ui.open_from_inbox(number, step=8)
    expect(page.get_by_role("region", name="Hasil tiap tahap")).to_contain_text(
        "Lengkapi bab pengujian."
    )
    ui.upload(
        "Laporan hasil pembuatan aplikasi", "laporan-v2.pdf", demo.sample_pdf("v2"), PDF, version=2
    )
    ui.act(
        "Serahkan manual dan laporan",
        report,
        selects={"Ditempatkan di": "Pusat Data Daerah (PDD)"},
        success="Manual dan laporan diserahkan kepada Kasi.",
    )
    ui.logout()

    # Steps 9–11 — the Kasi, the Kabid and the Kepala Dinas accept, each confirming.
    for step, role in ((9, "kasi"), (10, "kabid"), (11, "kadis")):
        ui.login(role)
        ui.open_from_inbox(number, step=step)
        ui.act(
            "Laporan diterima",
            {"Catatan pemeriksaan": f"Diterima ({role})."},
            confirm="Terima laporan ini?",
            success="Laporan diterima.",
        )
        ui.expect_progress(done=step, current=step + 1)
        ui.logout()

    # Step 12 — Prakom schedules the socialisation; the unit confirms; Prakom records it
    # and hands the application over to the unit's receiver.
    ui.login("prakom")
    ui.open_from_inbox(number, step=12)
    schedule(ui, "Jadwalkan sosialisasi", "Aula Dinas Kesehatan")
    ui.logout()
    confirm_invitation(ui, number)
    ui.login("prakom")
    ui.open_from_inbox(number, step=12)
    ui.upload("Materi sosialisasi", "sosialisasi.pptx", demo.sample_pptx(), PPTX)
    ui.act(
        "Catat sosialisasi dan selesaikan",
        {
            "Tanggal sosialisasi": today,
            "Tempat": "Aula Dinas Kesehatan",
            "Peserta lain yang hadir": "Kader Posyandu Melati; Desa Sukamaju",
            "Materi": "Pencatatan penimbangan dan grafik pertumbuhan.",
        },
        checks=("Pemohon",),
        selects={"Penerima dari Perangkat Daerah": "Pemohon"},
        confirm="Catat sosialisasi dan tutup usulan sebagai selesai?",
        success="Sosialisasi dicatat; usulan selesai.",
    )
    ui.expect_progress(done=12, current=None)
    ui.expect_not_in_inbox(number)
    ui.logout()

    # The pemohon sees the proposal completed, the handover, and no internal notes.
    ui.login("pemohon")
    open_own(ui, number)
    ui.expect_progress(done=12, current=None)
    ui.expect_timeline(21, "Selesai")
    together = page.get_by_role("region", name="Bersama Perangkat Daerah")
    expect(together).to_contain_text("Tahap 12 — Serah terima aplikasi")
    expect(together).to_contain_text("Tercatat dalam katalog aplikasi")
    expect(together).to_contain_text("Rancangan disetujui")
    expect(page.get_by_role("main")).not_to_contain_text("Usulan lengkap dan sesuai SPBE.")
    expect(page.get_by_role("main")).not_to_contain_text("Lengkapi bab pengujian.")
    for document in ("surat-bertanda-tangan.pdf", "laporan-v2.pdf", "manual.docx"):
        expect(ui.documents()).to_contain_text(document)
    expect(page.get_by_role("region", name="Tindakan Anda")).to_have_count(0)
    req = ApplicationRequest.objects.get(registration_number=number)
    assert req.state == State.COMPLETED
    assert req.catalogue_entries.get().status == "active"


def test_kepala_dinas_decides_tidak_perlu_and_the_pemohon_sees_why(ui: UI, users, make_request):
    req = make_request(State.DECISION, app_name="Aplikasi Antrean Puskesmas")
    number = req.registration_number
    page = ui.page

    ui.login("kadis")
    ui.open_from_inbox(number, step=4)
    ui.act(
        "Tidak perlu — tolak usulan",
        {"Alasan tidak perlu": "Sudah tersedia Aplikasi Umum antrean dari Kemenkes."},
        confirm="Putuskan usulan ini TIDAK PERLU? Usulan akan ditutup.",
        success="Keputusan TIDAK PERLU dicatat; usulan ditutup.",
    )
    ui.expect_progress(done=4, current=None)
    bar = page.get_by_role("navigation", name="Kemajuan 12 tahap SOP")
    expect(bar.get_by_role("listitem").filter(has_text="(tidak dilaksanakan)")).to_have_count(8)
    expect(page.get_by_role("region", name="Tindakan Anda")).to_have_count(0)
    ui.expect_not_in_inbox(number)
    ui.logout()

    ui.login("pemohon")
    ui.nav("Daftar usulan")
    row = page.get_by_role("table", name="Daftar usulan").get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("Ditolak")
    row.get_by_role("link", name=number).click()
    expect(page.get_by_role("main")).to_contain_text("Ditolak (tidak perlu)")
    records = page.get_by_role("region", name="Hasil tiap tahap")
    expect(records).to_contain_text("TIDAK PERLU")
    expect(records).to_contain_text("Sudah tersedia Aplikasi Umum antrean dari Kemenkes.")
    ui.expect_timeline(5, "Ditolak (tidak perlu)")
    ui.nav("Notifikasi")
    expect(page.get_by_role("main")).to_contain_text(
        f"Kepala Dinas memutuskan usulan {number} TIDAK PERLU"
    )
    assert ApplicationRequest.objects.get(pk=req.pk).state == State.REJECTED
