"""What each transition looks like on the proposal page: its button, form and service."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from workflow import forms, services


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str
    form_class: type[forms.ActionForm]
    service: object
    style: str = "primary"
    confirm: str = ""
    success: str = ""


_SPECS = (
    ActionSpec(
        "submit",
        _("Ajukan usulan"),
        forms.ActionForm,
        services.request_submit,
        confirm=_("Ajukan usulan ini? Setelah diajukan, isinya tidak dapat diubah."),
        success=_("Usulan diajukan dan mendapat nomor registrasi."),
    ),
    ActionSpec(
        "receive",
        _("Terima usulan"),
        forms.StudyReceiveForm,
        services.request_receive,
        success=_("Usulan diterima dan dicatat dalam buku agenda."),
    ),
    ActionSpec(
        "forward_to_kabid",
        _("Teruskan kepada Kabid"),
        forms.ForwardForm,
        services.request_forward_to_kabid,
        success=_("Usulan diteruskan kepada Kabid."),
    ),
    ActionSpec(
        "forward_to_kadis",
        _("Sampaikan kepada Kepala Dinas"),
        forms.ForwardForm,
        services.request_forward_to_kadis,
        success=_("Usulan disampaikan kepada Kepala Dinas."),
    ),
    ActionSpec(
        "decide_needed",
        _("Perlu — lanjutkan pembuatan"),
        forms.DecideNeededForm,
        services.request_decide_needed,
        style="success",
        confirm=_("Putuskan usulan ini PERLU dibuat?"),
        success=_("Keputusan PERLU dicatat; usulan diteruskan ke Prakom."),
    ),
    ActionSpec(
        "decide_not_needed",
        _("Tidak perlu — tolak usulan"),
        forms.DecideNotNeededForm,
        services.request_decide_not_needed,
        style="danger",
        confirm=_("Putuskan usulan ini TIDAK PERLU? Usulan akan ditutup."),
        success=_("Keputusan TIDAK PERLU dicatat; usulan ditutup."),
    ),
    ActionSpec(
        "finish_design",
        _("Rancangan selesai"),
        forms.FinishDesignForm,
        services.request_finish_design,
        success=_("Rancangan sistem dicatat."),
    ),
    ActionSpec(
        "record_presentation",
        _("Catat presentasi"),
        forms.ScheduledPresentationForm,
        services.request_record_presentation,
        success=_("Presentasi kepada pengguna dicatat."),
    ),
    ActionSpec(
        "accept_review",
        _("Rancangan diterima pengguna"),
        forms.AcceptReviewForm,
        services.request_accept_review,
        style="success",
        confirm=_("Catat bahwa pengguna menerima rancangan ini?"),
        success=_("Reviu dicatat; lanjut ke buku manual dan laporan."),
    ),
    ActionSpec(
        "request_another_round",
        _("Presentasi ulang diperlukan"),
        forms.ReviewForm,
        services.request_request_another_round,
        style="warning",
        confirm=_("Catat bahwa rancangan perlu dipresentasikan ulang?"),
        success=_("Reviu dicatat; usulan kembali ke tahap presentasi."),
    ),
    ActionSpec(
        "submit_report",
        _("Serahkan manual dan laporan"),
        forms.ReleaseReportForm,
        services.request_submit_report,
        success=_("Manual dan laporan diserahkan kepada Kasi."),
    ),
    ActionSpec(
        "kasi_accept",
        _("Laporan diterima"),
        forms.CheckAcceptForm,
        services.request_kasi_accept,
        style="success",
        confirm=_("Terima laporan ini?"),
        success=_("Laporan diterima."),
    ),
    ActionSpec(
        "kasi_return",
        _("Kembalikan untuk diperbaiki"),
        forms.CheckReturnForm,
        services.request_kasi_return,
        style="warning",
        confirm=_("Kembalikan laporan ini kepada Prakom untuk diperbaiki?"),
        success=_("Laporan dikembalikan kepada Prakom."),
    ),
    ActionSpec(
        "kabid_accept",
        _("Laporan diterima"),
        forms.CheckAcceptForm,
        services.request_kabid_accept,
        style="success",
        confirm=_("Terima laporan ini?"),
        success=_("Laporan diterima."),
    ),
    ActionSpec(
        "kabid_return",
        _("Kembalikan untuk diperbaiki"),
        forms.CheckReturnForm,
        services.request_kabid_return,
        style="warning",
        confirm=_("Kembalikan laporan ini kepada Prakom untuk diperbaiki?"),
        success=_("Laporan dikembalikan kepada Prakom."),
    ),
    ActionSpec(
        "kadis_accept",
        _("Laporan diterima"),
        forms.CheckAcceptForm,
        services.request_kadis_accept,
        style="success",
        confirm=_("Terima laporan ini?"),
        success=_("Laporan diterima."),
    ),
    ActionSpec(
        "kadis_return",
        _("Kembalikan untuk diperbaiki"),
        forms.CheckReturnForm,
        services.request_kadis_return,
        style="warning",
        confirm=_("Kembalikan laporan ini kepada Prakom untuk diperbaiki?"),
        success=_("Laporan dikembalikan kepada Prakom."),
    ),
    ActionSpec(
        "finish_socialisation",
        _("Catat sosialisasi dan selesaikan"),
        forms.HandoverSocialisationForm,
        services.request_finish_socialisation,
        style="success",
        confirm=_("Catat sosialisasi dan tutup usulan sebagai selesai?"),
        success=_("Sosialisasi dicatat; usulan selesai."),
    ),
)

# --- The office around the steps: returns to the unit, the unit's agreement ---------
_OFFICE_SPECS = (
    ActionSpec(
        "kasi_return_to_unit",
        _("Kembalikan untuk dilengkapi"),
        forms.KasiReturnToUnitForm,
        services.request_kasi_return_to_unit,
        style="warning",
        confirm=_("Kembalikan usulan ini kepada Perangkat Daerah untuk dilengkapi?"),
        success=_("Usulan dikembalikan kepada Perangkat Daerah untuk dilengkapi."),
    ),
    ActionSpec(
        "kabid_return_to_kasi",
        _("Kembalikan kepada Kasi"),
        forms.ReturnForm,
        services.request_kabid_return_to_kasi,
        style="warning",
        confirm=_("Kembalikan usulan ini kepada Kasi?"),
        success=_("Usulan dikembalikan kepada Kasi."),
    ),
    ActionSpec(
        "kabid_return_to_unit",
        _("Kembalikan kepada Perangkat Daerah untuk dilengkapi"),
        forms.ReturnForm,
        services.request_kabid_return_to_unit,
        style="warning",
        confirm=_("Kembalikan usulan ini kepada Perangkat Daerah untuk dilengkapi?"),
        success=_("Usulan dikembalikan kepada Perangkat Daerah untuk dilengkapi."),
    ),
    ActionSpec(
        "resubmit",
        _("Ajukan kembali usulan yang telah dilengkapi"),
        forms.ResubmitForm,
        services.request_resubmit,
        confirm=_("Ajukan kembali usulan ini kepada Kasi?"),
        success=_("Usulan yang telah dilengkapi diajukan kembali kepada Kasi."),
    ),
    ActionSpec(
        "request_agreement",
        _("Minta persetujuan rancangan"),
        forms.RequestAgreementForm,
        services.request_request_agreement,
        success=_("Permintaan persetujuan rancangan dikirim kepada Perangkat Daerah."),
    ),
    ActionSpec(
        "unit_agree",
        _("Rancangan disetujui"),
        forms.UnitAgreeForm,
        services.request_unit_agree,
        style="success",
        confirm=_("Nyatakan bahwa Perangkat Daerah menyetujui rancangan ini?"),
        success=_("Persetujuan rancangan dicatat."),
    ),
    ActionSpec(
        "unit_request_changes",
        _("Rancangan perlu perbaikan"),
        forms.UnitChangesForm,
        services.request_unit_request_changes,
        style="warning",
        confirm=_("Kirim permintaan perbaikan rancangan kepada Prakom?"),
        success=_("Permintaan perbaikan rancangan dikirim kepada Prakom."),
    ),
    ActionSpec(
        "decide_use_existing",
        _("Gunakan aplikasi yang ada"),
        forms.DecideUseExistingForm,
        services.request_decide_use_existing,
        style="secondary",
        confirm=_("Putuskan usulan ini cukup dengan aplikasi yang ada? Usulan akan ditutup."),
        success=_("Keputusan GUNAKAN APLIKASI YANG ADA dicatat; usulan ditutup."),
    ),
)
_SPECS = _SPECS + _OFFICE_SPECS

ACTIONS: dict[str, ActionSpec] = {spec.name: spec for spec in _SPECS}


def available_actions(req, user) -> list[ActionSpec]:
    """The actions this person may take on the proposal now, in SOP order."""
    names = {t.name for t in req.get_available_user_state_transitions(user)}
    return [spec for spec in _SPECS if spec.name in names]
