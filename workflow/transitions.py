"""Every SOP transition, declared once: who takes it, what it looks like, what it needs.

One ``Transition`` per method of the state machine (``workflow.machine``), in SOP order.
Everything else reads from here: the proposal page's buttons and forms
(``workflow.views.proposal``), the services' role and document checks (``workflow.services``),
the documents a step accepts and requires, and what people are told
(``workflow.notifications``, ``workflow.emails``). ``reports.documents.CHECKPOINTS``
keeps its own map of the documents issued after a transition;
``tests/workflow/test_transitions.py`` checks that this registry equals the machine and
that every checkpoint names a transition declared here.

The service of a transition is written out in ``workflow.services`` (a package by
step group, everything importable from ``workflow.services``) as ``take_<name>`` and
tied to its declaration with ``@<DECLARATION>.implemented_by`` (the services import
this module, not the other way round, so that the services can read the declaration
they implement; ``WorkflowConfig.ready`` imports the services, so
``Transition.service`` is bound wherever the registry is read).

Adding a transition touches four files:

1. ``workflow/machine.py``: the ``@transition`` method (source, target, ``permission=``);
2. ``workflow/forms.py``: its form, an ``ActionForm`` whose cleaned fields are the
   service's keyword arguments (or reuse one);
3. ``workflow/transitions.py`` (here): its declaration, added to ``TRANSITIONS``;
4. ``workflow/services/<step group>.py``: ``take_<name>``, decorated with
   ``implemented_by``, that calls ``_take`` with what the step records (exported from
   ``workflow/services/__init__.py``).

Its strings are translated like any other (``locale/``); a document issued after it is
one line in ``reports.documents.CHECKPOINTS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.utils.translation import gettext_lazy as _

from requests_intake.models import ApplicationRequest, AttachmentKind
from workflow import forms
from workflow.states import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

Text: TypeAlias = "str | StrPromise"
Service = Callable[..., ApplicationRequest]
S = TypeVar("S", bound=Callable[..., Any])

_SERVICES: dict[str, Callable[..., Any]] = {}

# The documents of a design (step 5), still uploadable while it is presented and reviewed.
_DESIGN_DOCUMENTS: tuple[str, ...] = (
    AttachmentKind.DATA_STRUCTURE,
    AttachmentKind.PROGRAM_FLOW,
    AttachmentKind.INTERFACE_DESIGN,
)


@dataclass(frozen=True)
class Transition:
    """One SOP transition as people meet it.

    ``happened`` is the notification's title (``%(actor)s``, ``%(number)s``);
    ``unit_message``, when set, means the requesting unit is told too, and is what it
    reads. The next actor is always told (``workflow.notifications``).
    ``required_kinds`` must be uploaded before the transition is taken; ``upload_kinds``
    may be uploaded besides them while the proposal waits for it.
    """

    name: str
    role: Role
    label: Text
    form: type[forms.ActionForm]
    happened: Text
    style: str = "primary"
    confirm: Text = ""
    success: Text = ""
    required_kinds: tuple[str, ...] = ()
    upload_kinds: tuple[str, ...] = ()
    unit_message: Text = ""

    @property
    def tells_unit(self) -> bool:
        return bool(self.unit_message)

    @property
    def service(self) -> Service:
        """The written-out service taking this transition (``workflow.services``)."""
        try:
            return _SERVICES[self.name]
        except KeyError:
            raise LookupError(f"No service implements transition {self.name!r}.") from None

    def implemented_by(self, service: S) -> S:
        """Decorator: ``service`` is the one function that takes this transition."""
        if self.name in _SERVICES and _SERVICES[self.name] is not service:
            raise ValueError(f"Transition {self.name!r} already has a service.")
        _SERVICES[self.name] = service
        return service

    @property
    def sources(self) -> tuple[str, ...]:
        """The states it leaves (from the state machine)."""
        meta = getattr(ApplicationRequest, self.name)._django_fsm
        return tuple(meta.transitions)


SUBMIT = Transition(
    "submit",
    Role.PEMOHON,
    _("Ajukan usulan"),
    forms.ActionForm,
    happened=_("%(actor)s mengajukan usulan %(number)s"),
    confirm=_("Ajukan usulan ini? Setelah diajukan, isinya tidak dapat diubah."),
    success=_("Usulan diajukan dan mendapat nomor registrasi."),
    required_kinds=(AttachmentKind.REQUEST_LETTER, AttachmentKind.KAK_TOR),
    unit_message=_("Usulan Anda tercatat dan diteruskan kepada Kasi untuk dipelajari."),
)
RECEIVE = Transition(
    "receive",
    Role.KASI,
    _("Terima usulan"),
    forms.StudyReceiveForm,
    happened=_("%(actor)s menerima usulan %(number)s"),
    success=_("Usulan diterima dan dicatat dalam buku agenda."),
)
FORWARD_TO_KABID = Transition(
    "forward_to_kabid",
    Role.KASI,
    _("Teruskan kepada Kabid"),
    forms.ForwardForm,
    happened=_("%(actor)s meneruskan usulan %(number)s kepada Kabid"),
    success=_("Usulan diteruskan kepada Kabid."),
)
FORWARD_TO_KADIS = Transition(
    "forward_to_kadis",
    Role.KABID,
    _("Sampaikan kepada Kepala Dinas"),
    forms.ForwardForm,
    happened=_("%(actor)s menyampaikan usulan %(number)s kepada Kepala Dinas"),
    success=_("Usulan disampaikan kepada Kepala Dinas."),
)
DECIDE_NEEDED = Transition(
    "decide_needed",
    Role.KADIS,
    _("Perlu — lanjutkan pembuatan"),
    forms.DecideNeededForm,
    happened=_("Kepala Dinas memutuskan usulan %(number)s PERLU dibuat"),
    style="success",
    confirm=_("Putuskan usulan ini PERLU dibuat?"),
    success=_("Keputusan PERLU dicatat; usulan diteruskan ke Prakom."),
    unit_message=_("Staf Pranata Komputer akan merancang aplikasi bersama Anda."),
)
DECIDE_NOT_NEEDED = Transition(
    "decide_not_needed",
    Role.KADIS,
    _("Tidak perlu — tolak usulan"),
    forms.DecideNotNeededForm,
    happened=_("Kepala Dinas memutuskan usulan %(number)s TIDAK PERLU"),
    style="danger",
    confirm=_("Putuskan usulan ini TIDAK PERLU? Usulan akan ditutup."),
    success=_("Keputusan TIDAK PERLU dicatat; usulan ditutup."),
    unit_message=_("Usulan ditutup. Alasan tercantum di atas."),
)
FINISH_DESIGN = Transition(
    "finish_design",
    Role.PRAKOM,
    _("Rancangan selesai"),
    forms.FinishDesignForm,
    happened=_("Rancangan sistem %(number)s siap dipresentasikan kepada pengguna"),
    success=_("Rancangan sistem dicatat."),
    required_kinds=_DESIGN_DOCUMENTS,
    unit_message=_(
        "Staf Pranata Komputer akan menghubungi Anda untuk jadwal presentasi rancangan."
    ),
)
RECORD_PRESENTATION = Transition(
    "record_presentation",
    Role.PRAKOM,
    _("Catat presentasi"),
    forms.ScheduledPresentationForm,
    happened=_("Presentasi rancangan %(number)s kepada pengguna dicatat"),
    success=_("Presentasi kepada pengguna dicatat."),
    required_kinds=(AttachmentKind.PRESENTATION_MATERIAL,),
    upload_kinds=(AttachmentKind.PRESENTATION_ATTENDANCE, *_DESIGN_DOCUMENTS),
)
_REVIEW_UPLOADS = (AttachmentKind.REVIEW_NOTES, *_DESIGN_DOCUMENTS)
ACCEPT_REVIEW = Transition(
    "accept_review",
    Role.PRAKOM,
    _("Rancangan diterima pengguna"),
    forms.AcceptReviewForm,
    happened=_("Rancangan %(number)s diterima pengguna"),
    style="success",
    confirm=_("Catat bahwa pengguna menerima rancangan ini?"),
    success=_("Reviu dicatat; lanjut ke buku manual dan laporan."),
    upload_kinds=_REVIEW_UPLOADS,
)
REQUEST_ANOTHER_ROUND = Transition(
    "request_another_round",
    Role.PRAKOM,
    _("Presentasi ulang diperlukan"),
    forms.ReviewForm,
    happened=_("Pengguna meminta presentasi ulang rancangan %(number)s"),
    style="warning",
    confirm=_("Catat bahwa rancangan perlu dipresentasikan ulang?"),
    success=_("Reviu dicatat; usulan kembali ke tahap presentasi."),
    upload_kinds=_REVIEW_UPLOADS,
    unit_message=_("Staf Pranata Komputer akan menjadwalkan presentasi ulang."),
)
SUBMIT_REPORT = Transition(
    "submit_report",
    Role.PRAKOM,
    _("Serahkan manual dan laporan"),
    forms.ReleaseReportForm,
    happened=_("%(actor)s menyerahkan buku manual dan laporan %(number)s"),
    success=_("Manual dan laporan diserahkan kepada Kasi."),
    required_kinds=(AttachmentKind.MANUAL, AttachmentKind.REPORT),
)


def _check_accept(name: str, role: Role) -> Transition:
    return Transition(
        name,
        role,
        _("Laporan diterima"),
        forms.CheckAcceptForm,
        happened=_("%(actor)s menerima laporan %(number)s"),
        style="success",
        confirm=_("Terima laporan ini?"),
        success=_("Laporan diterima."),
    )


def _check_return(name: str, role: Role) -> Transition:
    return Transition(
        name,
        role,
        _("Kembalikan untuk diperbaiki"),
        forms.CheckReturnForm,
        happened=_("%(actor)s mengembalikan laporan %(number)s untuk diperbaiki"),
        style="warning",
        confirm=_("Kembalikan laporan ini kepada Prakom untuk diperbaiki?"),
        success=_("Laporan dikembalikan kepada Prakom."),
    )


# Steps 9–11: the same check by three officials in turn.
KASI_ACCEPT = _check_accept("kasi_accept", Role.KASI)
KASI_RETURN = _check_return("kasi_return", Role.KASI)
KABID_ACCEPT = _check_accept("kabid_accept", Role.KABID)
KABID_RETURN = _check_return("kabid_return", Role.KABID)
KADIS_ACCEPT = _check_accept("kadis_accept", Role.KADIS)
KADIS_RETURN = _check_return("kadis_return", Role.KADIS)

FINISH_SOCIALISATION = Transition(
    "finish_socialisation",
    Role.PRAKOM,
    _("Catat sosialisasi dan selesaikan"),
    forms.HandoverSocialisationForm,
    happened=_("Sosialisasi %(number)s selesai; usulan selesai"),
    style="success",
    confirm=_("Catat sosialisasi dan tutup usulan sebagai selesai?"),
    success=_("Sosialisasi dicatat; usulan selesai."),
    required_kinds=(AttachmentKind.SOCIALISATION_MATERIAL,),
    upload_kinds=(AttachmentKind.SOCIALISATION_ATTENDANCE,),
    unit_message=_("Aplikasi telah disosialisasikan dan siap digunakan."),
)

# --- The office around the steps: returns to the unit, the unit's agreement ---------
# Step 2 (or 3 after the Kabid sent it back): the Kasi returns the proposal to the unit;
# step 3: the Kabid returns it to the Kasi or to the unit; the unit resubmits (step 1).
_RETURN_TO_UNIT_MESSAGE = _("Lengkapi usulan sesuai catatan di atas, lalu ajukan kembali.")
KASI_RETURN_TO_UNIT = Transition(
    "kasi_return_to_unit",
    Role.KASI,
    _("Kembalikan untuk dilengkapi"),
    forms.KasiReturnToUnitForm,
    happened=_("%(actor)s mengembalikan usulan %(number)s untuk dilengkapi"),
    style="warning",
    confirm=_("Kembalikan usulan ini kepada Perangkat Daerah untuk dilengkapi?"),
    success=_("Usulan dikembalikan kepada Perangkat Daerah untuk dilengkapi."),
    unit_message=_RETURN_TO_UNIT_MESSAGE,
)
KABID_RETURN_TO_KASI = Transition(
    "kabid_return_to_kasi",
    Role.KABID,
    _("Kembalikan kepada Kasi"),
    forms.ReturnForm,
    happened=_("%(actor)s mengembalikan usulan %(number)s kepada Kasi"),
    style="warning",
    confirm=_("Kembalikan usulan ini kepada Kasi?"),
    success=_("Usulan dikembalikan kepada Kasi."),
)
KABID_RETURN_TO_UNIT = Transition(
    "kabid_return_to_unit",
    Role.KABID,
    _("Kembalikan kepada Perangkat Daerah untuk dilengkapi"),
    forms.ReturnForm,
    happened=_("%(actor)s mengembalikan usulan %(number)s untuk dilengkapi"),
    style="warning",
    confirm=_("Kembalikan usulan ini kepada Perangkat Daerah untuk dilengkapi?"),
    success=_("Usulan dikembalikan kepada Perangkat Daerah untuk dilengkapi."),
    unit_message=_RETURN_TO_UNIT_MESSAGE,
)
RESUBMIT = Transition(
    "resubmit",
    Role.PEMOHON,
    _("Ajukan kembali usulan yang telah dilengkapi"),
    forms.ResubmitForm,
    happened=_("%(actor)s mengajukan kembali usulan %(number)s yang telah dilengkapi"),
    confirm=_("Ajukan kembali usulan ini kepada Kasi?"),
    success=_("Usulan yang telah dilengkapi diajukan kembali kepada Kasi."),
    # A corrected or signed letter may be attached while completing.
    upload_kinds=(AttachmentKind.REQUEST_LETTER,),
)
# Step 4, *gunakan aplikasi yang ada*: ends like *tidak perlu*, naming the application.
DECIDE_USE_EXISTING = Transition(
    "decide_use_existing",
    Role.KADIS,
    _("Gunakan aplikasi yang ada"),
    forms.DecideUseExistingForm,
    happened=_("Kepala Dinas memutuskan usulan %(number)s cukup dengan aplikasi yang ada"),
    style="secondary",
    confirm=_("Putuskan usulan ini cukup dengan aplikasi yang ada? Usulan akan ditutup."),
    success=_("Keputusan GUNAKAN APLIKASI YANG ADA dicatat; usulan ditutup."),
    unit_message=_("Usulan ditutup. Alasan tercantum di atas."),
)
# Step 7: Prakom asks the unit to agree to the design of this round; the unit answers.
REQUEST_AGREEMENT = Transition(
    "request_agreement",
    Role.PRAKOM,
    _("Minta persetujuan rancangan"),
    forms.RequestAgreementForm,
    happened=_("Prakom meminta persetujuan rancangan %(number)s"),
    success=_("Permintaan persetujuan rancangan dikirim kepada Perangkat Daerah."),
)
UNIT_AGREE = Transition(
    "unit_agree",
    Role.PEMOHON,
    _("Rancangan disetujui"),
    forms.UnitAgreeForm,
    happened=_("%(actor)s menyetujui rancangan %(number)s"),
    style="success",
    confirm=_("Nyatakan bahwa Perangkat Daerah menyetujui rancangan ini?"),
    success=_("Persetujuan rancangan dicatat."),
)
UNIT_REQUEST_CHANGES = Transition(
    "unit_request_changes",
    Role.PEMOHON,
    _("Rancangan perlu perbaikan"),
    forms.UnitChangesForm,
    happened=_("%(actor)s meminta perbaikan rancangan %(number)s"),
    style="warning",
    confirm=_("Kirim permintaan perbaikan rancangan kepada Prakom?"),
    success=_("Permintaan perbaikan rancangan dikirim kepada Prakom."),
)

# In SOP order: the proposal page shows the available ones in this order.
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        SUBMIT,
        RESUBMIT,
        RECEIVE,
        KASI_RETURN_TO_UNIT,
        FORWARD_TO_KABID,
        FORWARD_TO_KADIS,
        KABID_RETURN_TO_KASI,
        KABID_RETURN_TO_UNIT,
        DECIDE_NEEDED,
        DECIDE_NOT_NEEDED,
        DECIDE_USE_EXISTING,
        FINISH_DESIGN,
        RECORD_PRESENTATION,
        REQUEST_AGREEMENT,
        UNIT_AGREE,
        UNIT_REQUEST_CHANGES,
        ACCEPT_REVIEW,
        REQUEST_ANOTHER_ROUND,
        SUBMIT_REPORT,
        KASI_ACCEPT,
        KASI_RETURN,
        KABID_ACCEPT,
        KABID_RETURN,
        KADIS_ACCEPT,
        KADIS_RETURN,
        FINISH_SOCIALISATION,
    )
}


def required_kinds(name: str) -> tuple[str, ...]:
    """Documents that must be uploaded before transition ``name`` (none if unknown)."""
    transition = TRANSITIONS.get(name)
    return transition.required_kinds if transition is not None else ()


def _upload_kinds_by_state() -> dict[str, tuple[str, ...]]:
    kinds: dict[str, list[str]] = {}
    for transition in TRANSITIONS.values():
        for state in transition.sources:
            found = kinds.setdefault(state, [])
            for kind in (*transition.required_kinds, *transition.upload_kinds):
                if kind not in found:
                    found.append(kind)
    return {state: tuple(found) for state, found in kinds.items() if found}


# The documents that may be uploaded while a proposal is in a state: those its next
# transitions require or accept.
UPLOAD_KINDS_BY_STATE: dict[str, tuple[str, ...]] = _upload_kinds_by_state()


def upload_kinds(state: str) -> tuple[str, ...]:
    return UPLOAD_KINDS_BY_STATE.get(state, ())


def available(req: ApplicationRequest, user: Any) -> list[Transition]:
    """The transitions this person may take on the proposal now, in SOP order."""
    moves = req.get_available_user_state_transitions(user)  # type: ignore[attr-defined]
    names = {t.name for t in moves}  # django-fsm adds the method to the model: no stubs
    return [t for t in TRANSITIONS.values() if t.name in names]
