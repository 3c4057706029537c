"""Reads of the application catalogue: who sees which entry, the list with its filters, the
export rows, and the duplicate check beside a proposal (step 2)."""

import re
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from catalogue.models import Application, ApplicationKind, ApplicationStatus
from workflow.roles import is_official, user_roles
from workflow.states import Role


def visible_applications(user) -> QuerySet[Application]:
    """Catalogue entries a person may see.

    Diskominfo's staff see the whole catalogue. A requesting unit sees its own unit's
    applications only (what it already owns, before it proposes another); the rest of the
    catalogue is the office's working inventory.
    """
    qs = Application.objects.all()
    if is_official(user) or getattr(user, "is_superuser", False):
        return qs
    if Role.PEMOHON in user_roles(user) and user.unit_id is not None:
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


def own_unit_only(user):
    """The requesting unit whose entries are all this person sees, or None for the whole
    catalogue (the list then says whose applications it shows and offers no unit filter)."""
    if is_official(user) or getattr(user, "is_superuser", False):
        return None
    if Role.PEMOHON in user_roles(user) and user.unit_id is not None:
        return user.unit
    return None


def can_see_catalogue(user) -> bool:
    return bool(
        is_official(user)
        or getattr(user, "is_superuser", False)
        or (Role.PEMOHON in user_roles(user) and user.unit_id is not None)
    )


@dataclass
class CatalogueFilters:
    q: str = ""
    status: str = ""
    hosting: str = ""
    kind: str = ""
    year: int | None = None
    unit: int | None = None


def application_list(user, filters: CatalogueFilters) -> QuerySet[Application]:
    qs = visible_applications(user).select_related("unit", "proposal")
    for word in (filters.q or "").split()[:6]:
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(purpose__icontains=word)
            | Q(unit__name__icontains=word)
            | Q(unit__short_name__icontains=word)
            | Q(unit__code__iexact=word)
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.hosting:
        qs = qs.filter(hosting=filters.hosting)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    return qs.order_by("unit__name", "name", "pk")


def years_in_catalogue() -> list[int]:
    return list(
        Application.objects.order_by("-year").values_list("year", flat=True).distinct()[:60]
    )


# Words that say nothing about what an application does: every proposal has them.
_STOPWORD_TEXT = """
    aplikasi sistem informasi data untuk dan yang dengan pada dalam dari oleh atau serta
    layanan pelayanan pengelolaan manajemen online daring elektronik digital berbasis web
    kabupaten kota provinsi dinas badan bagian kantor perangkat daerah pemerintah pemerintahan
    masyarakat agar dapat akan secara lebih setiap semua para bagi tersebut adalah ini itu guna
    hasil proses kegiatan program terpadu terintegrasi mobile android portal website
    meningkatkan mempermudah memudahkan membantu mendukung efektif efisien cepat mudah
    dicari tersedia saat laporan pelaporan rekap rekapitulasi bulanan tahunan staf pimpinan
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(r"[0-9a-zA-Z]+")
_MAX_WORDS = 8
_MAX_CANDIDATES = 200


def _keywords(*texts: str) -> list[str]:
    """Distinctive words of the proposal's name first, then of its purpose, in order."""
    found: list[str] = []
    for text in texts:
        for word in _WORD.findall((text or "").lower()):
            if len(word) >= 4 and word not in _STOPWORDS and word not in found:
                found.append(word)
    return found[:_MAX_WORDS]


@dataclass
class Similar:
    application: Application
    score: int
    same_unit: bool
    matched: list[str] = field(default_factory=list)


def similar_applications(proposal, *, limit: int = 8) -> list[Similar]:
    """Catalogue entries that might already serve the proposal's need (the step-2 check).

    Candidates are the unit's own applications and any application, Aplikasi Umum
    included, whose name or purpose shares a distinctive word with the proposal's name or
    objectives. Plain ``icontains`` matching: one query, the same answer on SQLite and
    PostgreSQL. Ranked: a word in the name counts more than one in the purpose; the same
    unit and an Aplikasi Umum count a little; retired applications come last.
    """
    words = _keywords(proposal.app_name, proposal.objectives)
    condition = Q(unit_id=proposal.unit_id)
    for word in words:
        condition |= Q(name__icontains=word) | Q(purpose__icontains=word)
    candidates = (
        Application.objects.filter(condition)
        .exclude(proposal_id=proposal.pk)
        .select_related("unit")
        .order_by("-year", "pk")[:_MAX_CANDIDATES]
    )
    found = []
    for app in candidates:
        name = app.name.lower()
        purpose = app.purpose.lower()
        matched = [w for w in words if w in name or w in purpose]
        score = sum(3 if w in name else 1 for w in matched)
        same_unit = app.unit_id == proposal.unit_id
        if not matched and not same_unit:
            continue
        score += 2 if same_unit else 0
        score += 1 if app.kind == ApplicationKind.UMUM and matched else 0
        if app.status == ApplicationStatus.RETIRED:
            score -= 10
        found.append(Similar(application=app, score=score, same_unit=same_unit, matched=matched))
    found.sort(key=lambda s: (-s.score, s.application.name.lower(), s.application.pk))
    return found[:limit]
