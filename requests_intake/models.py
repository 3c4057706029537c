import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.cache import cache
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from requests_intake.nip import format_nip
from workflow.machine import WorkflowTransitions
from workflow.queries import ProposalQuerySet
from workflow.states import FINAL_STATES, State, step_number


class PerangkatDaerah(models.Model):
    """A requesting work unit (Perangkat Daerah; older texts say SKPD/OPD)."""

    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("nama singkat"), max_length=60)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("Perangkat Daerah")
        verbose_name_plural = _("Perangkat Daerah")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)

        cache.delete_many(["sop:active-units", "sop:active-unit-names", "sop:units"])


class YearlyCounter(models.Model):
    """A counter that restarts every year, one per kind (registration, letters …)."""

    key = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "year"], name="uniq_counter_key_year")
        ]

    def __str__(self) -> str:
        return f"{self.key}/{self.year}: {self.value}"


class HostingPreference(models.TextChoices):
    PUSAT_DATA_DAERAH = "pdd", _("Pusat Data Daerah (server Diskominfo)")
    PDN = "pdn", _("Pusat Data Nasional (PDN)")
    CLOUD = "cloud", _("Cloud pemerintah lainnya")
    OPD = "opd", _("Server milik Perangkat Daerah")
    UNDECIDED = "undecided", _("Belum ditentukan / mengikuti rekomendasi Diskominfo")


class FundingSource(models.TextChoices):
    APBD_DISKOMINFO = "apbd_kominfo", _("APBD melalui DPA Diskominfo")
    APBD_OPD = "apbd_opd", _("APBD melalui DPA Perangkat Daerah pemohon")
    APBN = "apbn", _("APBN / Dana Alokasi Khusus")
    OTHER = "other", _("Sumber lain yang sah")
    NONE = "none", _("Tanpa anggaran khusus (dikerjakan tim internal)")


class ApplicationRequest(ConcurrentTransitionMixin, WorkflowTransitions, models.Model):
    """A proposal to build a database application (usulan pembuatan aplikasi)."""

    registration_number = models.CharField(
        _("nomor registrasi"), max_length=30, unique=True, null=True, blank=True
    )
    unit = models.ForeignKey(
        PerangkatDaerah,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("Perangkat Daerah pemohon"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("diajukan oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)

    # The official request letter (Surat Permintaan Pembuatan Aplikasi Database).
    letter_number = models.CharField(_("nomor surat permintaan"), max_length=100)
    letter_date = models.DateField(_("tanggal surat permintaan"))

    # What the proposal is about (SPBE guidance for application proposals).
    app_name = models.CharField(_("nama aplikasi yang diusulkan"), max_length=200)
    background = models.TextField(_("latar belakang dan urgensi"))
    objectives = models.TextField(_("tujuan dan manfaat"))
    business_processes = models.TextField(_("proses bisnis / fungsi yang didukung"))
    intended_users = models.TextField(_("pengguna yang dituju"))
    user_count = models.PositiveIntegerField(
        _("perkiraan jumlah pengguna"), validators=[MinValueValidator(1)]
    )
    data_description = models.TextField(_("data yang akan dikelola"))
    has_personal_data = models.BooleanField(_("memuat data pribadi"), default=False)
    has_sensitive_personal_data = models.BooleanField(
        _("memuat data pribadi yang bersifat spesifik"),
        default=False,
        help_text=_("Misalnya data kesehatan, biometrik, anak, keuangan pribadi (UU 27/2022)."),
    )
    integration_needs = models.TextField(_("kebutuhan integrasi / interoperabilitas"), blank=True)
    hosting_preference = models.CharField(
        _("preferensi penempatan (hosting)"),
        max_length=20,
        choices=HostingPreference.choices,
        default=HostingPreference.PUSAT_DATA_DAERAH,
    )
    funding_source = models.CharField(
        _("sumber pendanaan"),
        max_length=20,
        choices=FundingSource.choices,
        default=FundingSource.NONE,
    )
    desired_completion = models.DateField(_("target waktu penyelesaian"), null=True, blank=True)
    general_app_considered = models.BooleanField(
        _("Aplikasi Umum sudah dipertimbangkan"),
        default=False,
        help_text=_("Apakah Aplikasi Umum SPBE yang sudah ada telah dipertimbangkan?"),
    )
    general_app_notes = models.TextField(
        _("catatan tentang Aplikasi Umum"),
        blank=True,
        help_text=_("Aplikasi Umum yang dipertimbangkan dan mengapa belum mencukupi."),
    )
    contact_name = models.CharField(_("nama narahubung"), max_length=150)
    contact_position = models.CharField(_("jabatan narahubung"), max_length=150)
    contact_phone = models.CharField(_("telepon narahubung"), max_length=30)
    contact_email = models.EmailField(_("e-mail narahubung"))

    # Who signed the request letter (the head of the unit, or on their behalf).
    signer_name = models.CharField(_("nama penanda tangan surat"), max_length=150, blank=True)
    signer_nip = models.CharField(
        _("NIP penanda tangan"),
        max_length=18,
        blank=True,
        help_text=_("18 angka, boleh dengan spasi: 19780512 200501 1 004."),
    )
    signer_position = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)

    # The workflow. Only services move it (protected=True forbids direct assignment).
    state = FSMField(
        _("status"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True
    )
    state_entered_at = models.DateTimeField(_("masuk tahap ini"), default=timezone.now)
    # Increases on every transition; forms carry it so a stale click changes nothing.
    revision = models.PositiveIntegerField(default=0)
    assigned_prakom = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_requests",
        verbose_name=_("staf Prakom pelaksana"),
    )
    decision_needed = models.BooleanField(_("keputusan: perlu"), null=True, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    presentation_rounds = models.PositiveIntegerField(_("putaran presentasi"), default=0)
    report_rounds = models.PositiveIntegerField(_("putaran laporan"), default=0)
    completed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # The due date of the step running now (from its StepVisit), for inbox and lists.
    due_date = models.DateField(_("batas waktu tahap"), null=True, blank=True)
    # Working days from submission to the final state (completed or rejected).
    total_working_days = models.PositiveIntegerField(
        _("lama proses (hari kerja)"), null=True, blank=True
    )

    # The head of the proposal's tamper-evident log (workflow.audit), on the row every
    # transition locks: the last row's place and hash, and the highest attachment id its
    # rows seal (attachments are added under the same lock, so ids follow commit order).
    log_seq = models.PositiveIntegerField(default=0, editable=False)
    log_hash = models.CharField(max_length=64, blank=True, editable=False)
    log_attachments_through = models.PositiveBigIntegerField(default=0, editable=False)
    # The newest attachment's id (``attachment_add``): a transition reads attachments only
    # when one is newer than the log seals, or when the step requires documents.
    last_attachment_id = models.PositiveBigIntegerField(default=0, editable=False)

    # visible_to(user), waiting_for(user), running(), overdue(): workflow.queries
    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("usulan aplikasi")
        verbose_name_plural = _("usulan aplikasi")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "state_entered_at"], name="req_state_entered_idx"),
            models.Index(fields=["unit", "-created_at"], name="req_unit_created_idx"),
            # The list filtered by unit and state: counted without reading the unit's rows.
            models.Index(fields=["unit", "state", "-created_at"], name="req_unit_state_idx"),
            models.Index(fields=["-created_at"], name="req_created_idx"),
            models.Index(fields=["due_date"], name="req_due_idx"),
            models.Index(fields=["submitted_at"], name="req_submitted_idx"),
            models.Index(fields=["completed_at"], name="req_completed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(registration_number__isnull=False),
                name="req_submitted_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_number} — {self.app_name}"

    def get_absolute_url(self) -> str:
        return reverse("requests_intake:detail", args=[self.pk])

    @property
    def display_number(self) -> str:
        return self.registration_number or _("Draf #%(pk)s") % {"pk": self.pk}

    @property
    def signer_nip_display(self) -> str:
        return format_nip(self.signer_nip)

    @property
    def step(self) -> int | None:
        return step_number(self.state)

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


class AttachmentKind(models.TextChoices):
    REQUEST_LETTER = "request_letter", _("Surat permintaan (pindaian)")
    KAK_TOR = "kak_tor", _("Kerangka Acuan Kerja (KAK/TOR)")
    DATA_STRUCTURE = "data_structure", _("Rumusan struktur data")
    PROGRAM_FLOW = "program_flow", _("Alur program")
    INTERFACE_DESIGN = "interface_design", _("Rancangan antarmuka")
    PRESENTATION_MATERIAL = "presentation_material", _("Materi presentasi")
    PRESENTATION_ATTENDANCE = "presentation_attendance", _("Daftar hadir presentasi (pindaian)")
    REVIEW_NOTES = "review_notes", _("Catatan reviu")
    MANUAL = "manual", _("Buku manual")
    REPORT = "report", _("Laporan hasil pembuatan aplikasi")
    SOCIALISATION_MATERIAL = "socialisation_material", _("Materi sosialisasi")
    SOCIALISATION_ATTENDANCE = "socialisation_attendance", _("Daftar hadir sosialisasi (pindaian)")


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Generated names only: the user's file name never reaches the file system.
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """An uploaded document. Never overwritten: a new upload of a kind is a new version."""

    request = models.ForeignKey(
        ApplicationRequest, on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(_("jenis dokumen"), max_length=40, choices=AttachmentKind.choices)
    version = models.PositiveIntegerField(_("versi"))
    file = models.FileField(_("berkas"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("nama berkas asli"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("ukuran"))
    sha256 = models.CharField(max_length=64)
    state_at_upload = models.CharField(max_length=30)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "version"], name="uniq_attachment_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("requests_intake:attachment", args=[self.request_id, self.pk])
