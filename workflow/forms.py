"""Forms that end a step: each asks for what the step produces (SOP.md, *output*)."""

import datetime
import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalogue.models import Application, Hosting, refuse_secrets
from requests_intake.models import AttachmentKind, PerangkatDaerah
from requests_intake.uploads import check_upload
from workflow.dashboard import DashboardFilters
from workflow.masterdata import active_unit_names
from workflow.models import (
    HOSTING_UNDECIDED,
    STUDY_HOSTING_CHOICES,
    Instruction,
    MeetingKind,
    Sifat,
    User,
    pending_meeting,
)
from workflow.states import Role, State


def show_length_limits(form: forms.BaseForm) -> None:
    """Tell people the maximum of each free-text box (the browser also stops typing there).

    Every free-text field has a ``max_length``: the form refuses more, with Django's own
    (translated) message, whatever a client sends.
    """
    for field in form.fields.values():
        limit = getattr(field, "max_length", None)
        if limit and isinstance(field.widget, forms.Textarea):
            hint = ngettext(
                "Paling banyak %(limit)s karakter.", "Paling banyak %(limit)s karakter.", limit
            ) % {"limit": number_format(limit, force_grouping=True)}
            field.help_text = f"{field.help_text} {hint}" if field.help_text else hint


class ActionForm(forms.Form):
    """Base for action forms: carries the revision the person saw."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # Fields ``service_kwargs`` gathers into one service argument: argument → fields.
    FOLDED: dict[str, tuple[str, ...]] = {}

    def __init__(self, *args, req=None, meetings=None, **kwargs):
        self.req = req
        # The proposal's meetings with their invitations (``invited``), when the page has
        # read them (``workflow.selectors.proposal_detail``); else read when needed.
        self.meetings = meetings
        super().__init__(*args, **kwargs)
        show_length_limits(self)
        if req is not None and not self.is_bound:
            self.fields["revision"].initial = req.revision
        if req is not None and step_is_late(req):
            self.fields["late_reason"] = late_reason_field()

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("revision", None)
        return data


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("Tanggal tidak boleh di masa depan."))
    return value


_PERSON_LINE = re.compile(r"\s*[;|\t]\s*")


class PeopleField(forms.CharField):
    """One person per line: ``Nama; Unit kerja; Jabatan`` (unit and position optional)."""

    widget = forms.Textarea(attrs={"rows": 5})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 5000)
        kwargs.setdefault(
            "help_text",
            _(
                "Satu orang per baris: Nama; Unit kerja; Jabatan. Contoh: "
                "Budi Santoso; Dinas Kesehatan; Kepala Seksi Data"
            ),
        )
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        # The length of what was typed (the field's own check would count people).
        MaxLengthValidator(self.max_length)(text)
        if "\x00" in text:
            # PostgreSQL cannot store NUL in text or JSON; CharField's own check runs too late.
            raise forms.ValidationError(_("Karakter nol (NUL) tidak diperbolehkan."))
        people = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in _PERSON_LINE.split(line.strip())]
            if len(parts) > 3 or not parts[0]:
                raise forms.ValidationError(
                    _('Baris %(n)d tidak sesuai format "Nama; Unit kerja; Jabatan".')
                    % {"n": number}
                )
            if len(parts[0]) > 150:
                raise forms.ValidationError(_("Baris %(n)d: nama terlalu panjang.") % {"n": number})
            parts += [""] * (3 - len(parts))
            people.append({"name": parts[0], "unit": parts[1][:200], "position": parts[2][:150]})
        return people

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join("; ".join(filter(None, p.values())) for p in value)
        return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReceiveForm(ActionForm):
    agenda_number = forms.CharField(label=_("Nomor agenda"), max_length=50)
    received_date = forms.DateField(label=_("Tanggal diterima"), widget=DateInput())
    sifat = forms.ChoiceField(label=_("Sifat"), choices=Sifat.choices, initial=Sifat.BIASA)
    study_notes = forms.CharField(
        label=_("Hasil telaah"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_date"].initial = timezone.localdate()

    def clean_received_date(self):
        value = _not_future(self.cleaned_data["received_date"])
        if self.req is not None and self.req.letter_date and value < self.req.letter_date:
            raise forms.ValidationError(_("Tanggal diterima tidak boleh sebelum tanggal surat."))
        return value


class ForwardForm(ActionForm):
    instructions = forms.MultipleChoiceField(
        label=_("Instruksi disposisi"),
        choices=Instruction.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Catatan disposisi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class DecideNeededForm(ActionForm):
    reason = forms.CharField(
        label=_("Pertimbangan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    prakom = forms.ModelChoiceField(
        label=_("Staf Pranata Komputer pelaksana"), queryset=User.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prakom"].queryset = User.objects.filter(
            groups__name=Role.PRAKOM, is_active=True
        ).order_by("first_name", "username")


class DecideNotNeededForm(ActionForm):
    reason = forms.CharField(
        label=_("Alasan tidak perlu"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Alasan ini disampaikan kepada Perangkat Daerah pemohon."),
    )


class FinishDesignForm(ActionForm):
    summary = forms.CharField(
        label=_("Ringkasan rancangan (struktur data, alur program, antarmuka)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=8000,
    )


class PresentationForm(ActionForm):
    held_on = forms.DateField(
        label=_("Tanggal presentasi"), widget=DateInput(), validators=[_not_future]
    )
    place = forms.CharField(label=_("Tempat"), max_length=200)
    attendees = PeopleField(label=_("Daftar hadir"))
    points_raised = forms.CharField(
        label=_("Hal-hal yang disampaikan pengguna"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=8000,
    )


class ReviewForm(ActionForm):
    """Step 7 asking for another round: what the users want changed is the point of it."""

    requested_changes = forms.CharField(
        label=_("Permintaan perubahan dari pengguna"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
    )
    changes_made = forms.CharField(
        label=_("Perbaikan yang dilakukan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
    )


class AcceptReviewForm(ReviewForm):
    """Step 7 accepting the design: the users may have asked for nothing more."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("requested_changes", "changes_made"):
            self.fields[name].required = False
        field = self.fields["requested_changes"]  # before the length hint already there
        empty = _("Kosongkan bila pengguna menerima rancangan tanpa permintaan perubahan.")
        field.help_text = f"{empty} {field.help_text}".strip()


class ReportForm(ActionForm):
    summary = forms.CharField(
        label=_("Ringkasan laporan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000
    )
    manual_version = forms.CharField(label=_("Versi buku manual"), max_length=30, initial="1.0")
    application_url = forms.URLField(
        label=_("Alamat aplikasi"), max_length=200, required=False, assume_scheme="https"
    )


class CheckAcceptForm(ActionForm):
    note = forms.CharField(
        label=_("Catatan pemeriksaan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )


class CheckReturnForm(ActionForm):
    note = forms.CharField(
        label=_("Catatan perbaikan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text=_("Apa yang harus diperbaiki oleh Prakom."),
    )


class SocialisationForm(ActionForm):
    held_on = forms.DateField(
        label=_("Tanggal sosialisasi"), widget=DateInput(), validators=[_not_future]
    )
    place = forms.CharField(label=_("Tempat"), max_length=200)
    participants = PeopleField(label=_("Peserta"))
    material = forms.CharField(
        label=_("Materi"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis dokumen"), choices=())
    file = forms.FileField(label=_("Berkas"))
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)

    def __init__(self, *args, kinds=(), **kwargs):
        kwargs.setdefault("auto_id", "id_upload_%s")  # the comment form has a "file" too
        super().__init__(*args, **kwargs)
        labels = dict(AttachmentKind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds]


# The calendar the product works in: dates outside it are typing mistakes, and dates at the
# very end of Python's calendar overflow when a day is added to them.
FIRST_DATE = datetime.date(2000, 1, 1)
LAST_DATE = datetime.date(2100, 12, 31)


def _within_calendar(value):
    if value is not None and not FIRST_DATE <= value <= LAST_DATE:
        raise forms.ValidationError(
            _("Tanggal harus antara 1 Januari 2000 dan 31 Desember 2100."), code="out_of_range"
        )


class QueryForm(forms.Form):
    """Base for the forms that read a page's query string (filters, page, export format).

    Every GET parameter a page or an export uses is declared and validated here, so a bad
    value is refused with a message instead of reaching the database. Fields listed in
    ``shown_fields`` show their errors next to their input; the others in ``problems``.
    """

    page = forms.IntegerField(
        label=_("Halaman"),
        required=False,
        min_value=1,
        max_value=1_000_000,
        error_messages={
            "invalid": _("Nomor halaman harus bilangan bulat positif."),
            "min_value": _("Nomor halaman harus bilangan bulat positif."),
            "max_value": _("Nomor halaman terlalu besar."),
        },
    )
    shown_fields: tuple[str, ...] = ()

    def __init__(self, data=None, **kwargs):
        # Always bound: an empty query string is valid and means "no filter".
        super().__init__(data if data is not None else {}, **kwargs)

    def value(self, name: str, default=None):
        """The cleaned value, or ``default`` when the parameter is absent or refused."""
        self.is_valid()
        found = self.cleaned_data.get(name)
        return default if found in (None, "") else found

    @property
    def problems(self) -> list[str]:
        """Messages to show above the page for errors not shown beside an input."""
        return self._problems(skip=self.shown_fields)

    @property
    def all_problems(self) -> list[str]:
        """Every message: why an export was refused, all in one place."""
        return self._problems(skip=())

    def _problems(self, skip) -> list[str]:
        lines = [str(message) for message in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == NON_FIELD_ERRORS or name in skip:
                continue
            label = self.fields[name].label if name in self.fields else name
            lines += [f"{label}: {message}" for message in errors]
        return lines


class ExportQueryForm(QueryForm):
    format = forms.ChoiceField(
        label=_("Format unduhan"),
        choices=[("csv", "CSV"), ("xlsx", "XLSX")],
        required=False,
        error_messages={"invalid_choice": _("Pilih format CSV atau XLSX.")},
    )

    @property
    def file_format(self) -> str:
        return self.value("format", "csv")


class DashboardFilterForm(QueryForm):
    date_from = forms.DateField(
        label=_("Dari tanggal"), widget=DateInput(), required=False, validators=[_within_calendar]
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"),
        widget=DateInput(),
        required=False,
        validators=[_within_calendar],
    )
    unit: forms.ModelChoiceField[PerangkatDaerah] = forms.ModelChoiceField(
        label=_("Perangkat Daerah"), queryset=None, required=False, empty_label=_("Semua")
    )
    state = forms.ChoiceField(label=_("Status"), required=False)
    shown_fields = ("date_from", "date_to", "unit", "state")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = PerangkatDaerah.objects.filter(active=True)
        # The options from the master-data cache (the queryset still checks a sent value).
        self.fields["unit"].widget.choices = [("", self.fields["unit"].empty_label)] + [
            (pk, name) for pk, name in active_unit_names()
        ]
        self.fields["state"].choices = [("", _("Semua"))] + [
            c for c in State.choices if c[0] != State.DRAFT
        ]

    def clean(self):
        data = super().clean()
        if "date_from" in self.errors or "date_to" in self.errors:
            return data
        default = DashboardFilters.default()
        start = data.get("date_from") or default.date_from
        end = data.get("date_to") or default.date_to
        if start > end:
            raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
        if (end - start).days > 366 * 5:
            raise forms.ValidationError(_("Periode paling panjang lima tahun."))
        return data

    def filters(self):
        filters = DashboardFilters.default()
        if self.is_valid():
            data = self.cleaned_data
            filters.date_from = data.get("date_from") or filters.date_from
            filters.date_to = data.get("date_to") or filters.date_to
            filters.unit = data["unit"].pk if data.get("unit") else None
            filters.state = data.get("state") or ""
        return filters


class DashboardExportForm(DashboardFilterForm, ExportQueryForm):
    table = forms.ChoiceField(
        label=_("Tabel"),
        choices=[
            ("steps", _("Per tahap")),
            ("months", _("Per bulan")),
            ("units", _("Per Perangkat Daerah")),
            ("overdue", _("Terlambat")),
        ],
        required=False,
        error_messages={"invalid_choice": _("Tabel yang diminta tidak ada.")},
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Komentar"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Sebut peran atau nama pengguna dengan @, misalnya @kasi atau @prakom, "
            "agar mereka diberi tahu."
        ),
    )
    file = forms.FileField(label=_("Lampiran (opsional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_length_limits(self)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload)
        return upload


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Ubah komentar"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_length_limits(self)


class ReassignForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    prakom = forms.ModelChoiceField(
        label=_("Staf Pranata Komputer pengganti"), queryset=User.objects.none()
    )
    note = forms.CharField(label=_("Alasan"), max_length=500, required=False)

    def __init__(self, *args, req=None, **kwargs):
        kwargs.setdefault("auto_id", "id_reassign_%s")  # the upload form has a "note" too
        super().__init__(*args, **kwargs)
        self.fields["prakom"].queryset = User.objects.filter(
            groups__name=Role.PRAKOM, is_active=True
        ).order_by("first_name", "username")
        if req is not None and not self.is_bound:
            self.fields["revision"].initial = req.revision


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email_notifications"]


# --- The office around the steps -----------------------------------------------------


def step_is_late(req) -> bool:
    """Whether the step the proposal stands in is past its due date today."""
    return req.due_date is not None and req.due_date < timezone.localdate()


def late_reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Alasan keterlambatan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Tahap ini melewati batas waktunya; sebutkan singkat alasannya."),
    )


class StudyChecklistFields(forms.Form):
    """The Kasi's study of the proposal (step 2) as a checklist and a note."""

    letter_signed = forms.BooleanField(
        label=_("Surat ditandatangani kepala Perangkat Daerah dan ditujukan kepada Kepala Dinas"),
        required=False,
    )
    tor_attached = forms.BooleanField(label=_("KAK/TOR dilampirkan"), required=False)
    existing_app = forms.CharField(
        label=_("Aplikasi yang sudah ada / Aplikasi Umum yang dapat digunakan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    personal_data = forms.CharField(
        label=_("Data pribadi dan dasar pemrosesannya"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    budget = forms.CharField(
        label=_("Anggaran"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    hosting = forms.ChoiceField(
        label=_("Hosting"),
        choices=STUDY_HOSTING_CHOICES,
        initial=HOSTING_UNDECIDED,
        required=False,
    )
    checklist_note = forms.CharField(
        label=_("Catatan telaah"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )

    CHECKLIST = (
        "letter_signed",
        "tor_attached",
        "existing_app",
        "personal_data",
        "budget",
        "hosting",
        "checklist_note",
    )
    FOLDED: dict[str, tuple[str, ...]] = {"checklist": CHECKLIST}

    def service_kwargs(self) -> dict:
        data = super().service_kwargs()  # type: ignore[misc]
        checklist = {name: data.pop(name) for name in self.CHECKLIST}
        checklist["note"] = checklist.pop("checklist_note")
        checklist["hosting"] = checklist["hosting"] or HOSTING_UNDECIDED
        data["checklist"] = checklist
        return data


class StudyReceiveForm(StudyChecklistFields, ReceiveForm):
    """Step 2: receipt in the agenda book, with the study checklist."""


class KasiReturnToUnitForm(StudyChecklistFields, ActionForm):
    missing = forms.CharField(
        label=_("Yang perlu dilengkapi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Disampaikan kepada Perangkat Daerah pemohon."),
    )
    field_order = ["revision", "missing"]


class ReturnForm(ActionForm):
    missing = forms.CharField(
        label=_("Yang perlu dilengkapi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class ResubmitForm(ActionForm):
    completion_note = forms.CharField(
        label=_("Yang telah dilengkapi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Unggah dokumen pengganti lebih dahulu bila diminta."),
    )


class RequestAgreementForm(ActionForm):
    note = forms.CharField(
        label=_("Pesan kepada Perangkat Daerah"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class UnitAgreeForm(ActionForm):
    points = forms.CharField(
        label=_("Catatan (opsional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )


class UnitChangesForm(ActionForm):
    points = forms.CharField(
        label=_("Hal-hal yang perlu diperbaiki"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
    )


class _AttendedFields(ActionForm):
    """Who of the invited users came: ticked by Prakom when recording the meeting."""

    meeting_kind = ""

    def add_attended(self) -> None:
        choices = [(i.user_id, str(i.user)) for i in self._invitations()]
        self.fields["attended"] = forms.TypedMultipleChoiceField(
            label=_("Undangan yang hadir"),
            choices=choices,
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def _invitations(self) -> list:
        """The invitations of the step's pending meeting (``pending_meeting``)."""
        if self.meetings is None:
            meeting = pending_meeting(self.req, self.meeting_kind) if self.req else None
            return list(meeting.invitations.select_related("user")) if meeting else []
        pending = [m for m in self.meetings if m.kind == self.meeting_kind and not m.held]
        latest = max(pending, key=lambda m: (m.created_at, m.pk), default=None)
        return latest.invited if latest else []


class ScheduledPresentationForm(_AttendedFields, PresentationForm):
    meeting_kind = MeetingKind.PRESENTATION

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_attended()
        self.fields["attendees"].required = False
        self.fields["attendees"].label = _("Peserta lain yang hadir")


class ScheduledSocialisationForm(_AttendedFields, SocialisationForm):
    meeting_kind = MeetingKind.SOCIALISATION

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_attended()
        self.fields["participants"].required = False
        self.fields["participants"].label = _("Peserta lain yang hadir")


class MeetingForm(forms.Form):
    """Schedule a presentation (step 6) or socialisation (step 12) with the unit's users."""

    date = forms.DateField(label=_("Tanggal"), widget=DateInput(), validators=[_within_calendar])
    time = forms.TimeField(label=_("Waktu"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    online_link = forms.URLField(
        label=_("Tautan daring"), max_length=300, required=False, assume_scheme="https"
    )
    agenda = forms.CharField(
        label=_("Acara"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    invitees = forms.ModelMultipleChoiceField(
        label=_("Undang pengguna Perangkat Daerah"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, req=None, **kwargs):
        kwargs.setdefault("auto_id", "id_meeting_%s")
        super().__init__(*args, **kwargs)
        show_length_limits(self)
        if req is not None:
            self.fields["invitees"].queryset = User.objects.filter(
                unit_id=req.unit_id, groups__name=Role.PEMOHON, is_active=True
            ).order_by("first_name", "username")

    def clean(self):
        data = super().clean()
        if not data.get("place", "").strip() and not data.get("online_link"):
            raise forms.ValidationError(_("Isi tempat atau tautan daring."))
        if data.get("date") and data["date"] < timezone.localdate():
            self.add_error("date", _("Tanggal pertemuan tidak boleh di masa lalu."))
        return data


class DecideUseExistingForm(ActionForm):
    """Step 4, *gunakan aplikasi yang ada*: an application of the catalogue serves."""

    application = forms.ModelChoiceField(
        label=_("Aplikasi yang digunakan"),
        queryset=Application.objects.none(),
        help_text=_("Aplikasi milik Perangkat Daerah atau Aplikasi Umum dari katalog aplikasi."),
    )
    reason = forms.CharField(
        label=_("Alasan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Alasan ini disampaikan kepada Perangkat Daerah pemohon."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = (
            Application.objects.in_use().select_related("unit").order_by("name")
        )


class ReleaseReportForm(ReportForm):
    """Step 8 records the application itself beside the manual and the report."""

    test_account_note = forms.CharField(
        label=_("Catatan akun uji"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Nama akun uji dan cara memperolehnya — jangan tulis kata sandi."),
    )
    source_repository = forms.CharField(label=_("Repositori kode sumber"), max_length=300)
    version = forms.CharField(label=_("Versi aplikasi"), max_length=50)
    hosting = forms.ChoiceField(label=_("Ditempatkan di"), choices=())
    hosting_note = forms.CharField(label=_("Keterangan penempatan"), max_length=200, required=False)
    uat_document = forms.FileField(label=_("Hasil uji penerimaan pengguna (UAT)"), required=False)
    security_document = forms.FileField(label=_("Hasil penilaian keamanan"), required=False)
    security_assessed_on = forms.DateField(
        label=_("Tanggal penilaian keamanan"),
        widget=DateInput(),
        required=False,
        validators=[_not_future],
    )
    security_assessor = forms.CharField(label=_("Penilai keamanan"), max_length=200, required=False)

    RELEASE = (
        "test_account_note",
        "source_repository",
        "version",
        "hosting",
        "hosting_note",
        "uat_document",
        "security_document",
        "security_assessed_on",
        "security_assessor",
    )
    FOLDED: dict[str, tuple[str, ...]] = {"release": RELEASE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application_url"].required = True
        self.fields["hosting"].choices = Hosting.choices
        self.fields["test_account_note"].validators.append(refuse_secrets)

    def clean(self):
        data = super().clean()
        if data.get("security_document") and not (
            data.get("security_assessed_on") and data.get("security_assessor", "").strip()
        ):
            self.add_error(
                "security_assessor",
                _("Hasil penilaian keamanan perlu tanggal penilaian dan nama penilainya."),
            )
        return data

    def service_kwargs(self) -> dict:
        data = super().service_kwargs()
        release = {name: data.pop(name) for name in self.RELEASE}
        release["url"] = data["application_url"]
        data["release"] = release
        return data


class HandoverSocialisationForm(ScheduledSocialisationForm):
    """Step 12 ends with the handover to the unit and the catalogue entry."""

    FOLDED: dict[str, tuple[str, ...]] = {
        "handover": (
            "receiver",
            "handed_address",
            "handed_source",
            "handed_documentation",
            "admin_accounts_separately",
            "handover_note",
        )
    }

    receiver = forms.ModelChoiceField(
        label=_("Penerima dari Perangkat Daerah"), queryset=User.objects.none()
    )
    handed_address = forms.BooleanField(label=_("Alamat aplikasi"), required=False, initial=True)
    handed_source = forms.BooleanField(label=_("Kode sumber"), required=False, initial=True)
    handed_documentation = forms.BooleanField(
        label=_("Dokumentasi (buku manual, laporan)"), required=False, initial=True
    )
    admin_accounts_separately = forms.BooleanField(
        label=_("Akun administrator diserahkan terpisah"), required=False, initial=True
    )
    handover_note = forms.CharField(
        label=_("Keterangan serah terima"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.req is not None:
            self.fields["receiver"].queryset = User.objects.filter(
                unit_id=self.req.unit_id, groups__name=Role.PEMOHON, is_active=True
            ).order_by("first_name", "username")

    def service_kwargs(self) -> dict:
        data = super().service_kwargs()
        data["handover"] = {
            "receiver": data.pop("receiver"),
            "address": data.pop("handed_address"),
            "source": data.pop("handed_source"),
            "documentation": data.pop("handed_documentation"),
            "admin_accounts_separately": data.pop("admin_accounts_separately"),
            "note": data.pop("handover_note"),
        }
        return data
