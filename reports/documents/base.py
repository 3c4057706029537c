"""What every document's template gets: letterhead, numbering, QR, signers, the snapshot."""

import datetime
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.templatetags.static import static
from django.urls import reverse

from reports.formatting import tanggal
from reports.kinds import SPECS
from reports.models import FONT_STACKS, Document, FontFamily, Letterhead
from reports.qr import qr_svg
from requests_intake.models import ApplicationRequest, Attachment
from requests_intake.services import PROPOSAL_FIELDS
from workflow import civil_service
from workflow.models import RoleTitle, TransitionLog, User
from workflow.states import Role

DEFAULT_LOGO = "img/lambang-daerah.svg"


@dataclass
class Snapshot:
    """The proposal as it stood at a document's transition (``log``)."""

    doc: Document
    req: ApplicationRequest
    log: TransitionLog | None
    as_of: datetime.datetime

    @property
    def cutoff(self) -> int:
        return self.log.pk if self.log is not None else 0

    def records(self, model: type[Model]) -> QuerySet:
        """A step record model's rows for this proposal up to the snapshot's transition."""
        return (
            model.objects.filter(request=self.req, log_id__lte=self.cutoff)
            .select_related("created_by", "log__acting")
            .order_by("log_id")
        )

    def for_log(self, model: type[Model]):
        if self.log is None:
            return None
        return (
            model.objects.filter(log=self.log).select_related("created_by", "log__acting").first()
        )

    def transitions(self) -> list[TransitionLog]:
        return list(
            TransitionLog.objects.filter(request=self.req, pk__lte=self.cutoff)
            .select_related("actor")
            .order_by("created_at", "pk")
        )

    def attachments(self, *kinds: str) -> list[Attachment]:
        qs = Attachment.objects.filter(request=self.req, uploaded_at__lte=self.as_of)
        if kinds:
            qs = qs.filter(kind__in=kinds)
        return list(qs.select_related("uploaded_by").order_by("kind", "version"))

    def latest_attachments(self, *kinds: str) -> list[Attachment]:
        latest: dict[str, Attachment] = {}
        for attachment in self.attachments(*kinds):
            latest[attachment.kind] = attachment
        return [latest[k] for k in kinds if k in latest]


def snapshot_of(doc: Document) -> Snapshot:
    # ``issued_at`` is the transition's moment, or when a rekam jejak was asked for.
    return Snapshot(doc=doc, req=doc.request, log=doc.log, as_of=doc.issued_at)


class Signers:
    """Signature blocks: jabatan (admin-editable RoleTitle), name, pangkat/golongan, NIP.

    ``academic_titles``: whether this kind prints academic titles in the name (a per-kind
    setting). An acting official's block reads "Plt./Plh. <jabatan>" over their own
    name, rank and NIP. A block never prints an empty "NIP." line: what is missing is
    left out here and flagged to the administrator before (``signer_warnings``).
    """

    def __init__(self, *, academic_titles: bool = True) -> None:
        rows = list(RoleTitle.objects.all())
        self.titles = {row.role: row.title for row in rows}
        self.short_titles = {row.role: row.short_title for row in rows}
        self.academic_titles = academic_titles

    def title(self, role: str) -> str:
        return self.titles.get(role) or (Role(role).label if role in Role.values else role)

    def short(self, role: str) -> str:
        return self.short_titles.get(role) or self.title(role)

    def of(self, user, role: str, when: datetime.datetime | None = None, *, log=None) -> dict:
        """``log``: the transition the person acted in, to print "Plt./Plh." when acting."""
        position = self.title(role)
        acting = getattr(log, "acting", None) if log is not None else None
        prefix = f"{acting.get_kind_display()} " if acting is not None else ""
        return person_block(
            user, position=position, acting=prefix.strip(), when=when, titles=self.academic_titles
        )

    def holder(self, role: str, when: datetime.datetime | None = None) -> dict:
        """The block of whoever holds ``role``'s post (someone who has not acted yet)."""
        return self.of(role_holder(role), role, when)

    def of_record(self, record, role: str) -> dict:
        """Who recorded a step record, as printed under it."""
        return self.of(record.created_by, role, record.created_at, log=record.log)


def person_block(user, *, position: str, acting: str = "", when=None, titles=True) -> dict:
    employment = getattr(user, "employment", civil_service.Employment.NON_ASN)
    nip = getattr(user, "nip", "") if user else ""
    rank = getattr(user, "rank", "") if user else ""
    return {
        "name": user.signature_name(with_titles=titles) if user else "",
        "position": f"{acting} {position}".strip(),
        "post": position,
        "acting": acting,
        "rank": civil_service.rank_display(rank) if rank else "",
        "nip": civil_service.format_nip(nip) if nip else "",
        "nip_label": "NI PPPK." if employment == civil_service.Employment.PPPK else "NIP.",
        "when": when,
        "missing": user.signer_data_missing if user else [],
    }


def role_holder(role: str):
    """The person whose own post is ``role`` (the first active one)."""
    return User.objects.filter(groups__name=role, is_active=True).order_by("pk").first()


def proposal_rows(req: ApplicationRequest) -> list[dict]:
    """Every field of the intake form with its label and printable value."""
    rows = []
    for name in PROPOSAL_FIELDS:
        field = req._meta.get_field(name)
        value = getattr(req, name)
        if field.choices:
            value = getattr(req, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = "Ya" if value else "Tidak"
        elif isinstance(value, datetime.date):
            value = tanggal(value)
        elif value is None or value == "":
            value = "—"
        label = str(field.verbose_name)
        rows.append({"label": label[:1].upper() + label[1:], "value": value})
    return rows


def common_context(doc: Document, *, preview: bool) -> dict:
    letterhead = Letterhead.load()
    logo_url = f"{reverse('reports:letterhead_logo')}" if letterhead.logo else static(DEFAULT_LOGO)
    return {
        "doc": doc,
        "req": doc.request,
        "kind_label": doc.get_kind_display(),
        "letterhead": letterhead,
        "logo_url": logo_url,
        "qr_svg": qr_svg(doc.verify_url),
        "verify_url": doc.verify_url,
        "verify_home": doc.verify_url.rsplit("/", 2)[0] + "/",
        "place_date": f"{letterhead.city}, {tanggal(doc.issued_at)}",
        "preview": preview,
        "is_letter": SPECS[doc.kind].letter,
        "font_stack": FONT_STACKS.get(letterhead.font_family, FONT_STACKS[FontFamily.ARIAL]),
    }
