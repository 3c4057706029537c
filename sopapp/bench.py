"""``make bench``: how the pages hold up as proposals grow, against the admin and the floor.

Builds its own data in a scratch database (``manage.py bench`` refuses a database whose
name does not contain "bench"), measures every row side by side in one run and prints one
table: median of repeated runs with min and max, ratios, queries per page, peak memory.

Bench data is written with ``bulk_create`` (100,000 proposals through the services would
take hours); it has the shape the services produce: each proposal's log rows follow the
SOP up to its state, with chained hashes, step visits and due dates.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection, reset_queries, transaction
from django.db.models import F
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from requests_intake.models import ApplicationRequest, PerangkatDaerah
from workflow import demo
from workflow.audit import GENESIS, row_hash
from workflow.models import StepVisit, TransitionLog, User
from workflow.sla import SOP_STANDARDS
from workflow.states import ACTOR_OF_STATE, STEP_OF_STATE, Role, State

PAGE = 25
TRANSITION_ROLE = {
    "submit": Role.PEMOHON,
    "receive": Role.KASI,
    "forward_to_kabid": Role.KASI,
    "forward_to_kadis": Role.KABID,
    "decide_needed": Role.KADIS,
    "decide_not_needed": Role.KADIS,
    "finish_design": Role.PRAKOM,
    "record_presentation": Role.PRAKOM,
    "accept_review": Role.PRAKOM,
    "request_agreement": Role.PRAKOM,
    "unit_agree": Role.PEMOHON,
    "submit_report": Role.PRAKOM,
    "kasi_accept": Role.KASI,
    "kabid_accept": Role.KABID,
    "kadis_accept": Role.KADIS,
    "finish_socialisation": Role.PRAKOM,
}
TARGET = {
    "submit": State.RECEIVE,
    "receive": State.KASI_FORWARD,
    "forward_to_kabid": State.KABID_FORWARD,
    "forward_to_kadis": State.DECISION,
    "decide_needed": State.DESIGN,
    "decide_not_needed": State.REJECTED,
    "finish_design": State.PRESENTATION,
    "record_presentation": State.REVIEW,
    "accept_review": State.REPORT,
    "request_agreement": State.UNIT_AGREEMENT,
    "unit_agree": State.REVIEW,
    "submit_report": State.KASI_CHECK,
    "kasi_accept": State.KABID_CHECK,
    "kabid_accept": State.KADIS_CHECK,
    "kadis_accept": State.SOCIALISATION,
    "finish_socialisation": State.COMPLETED,
}


@dataclass
class Row:
    name: str
    small: list[float]
    large: list[float] | None = None
    goal: str = ""
    note: str = ""

    def cells(self) -> list[str]:
        def fmt(values):
            if not values:
                return "—"
            return (
                f"{statistics.median(values) * 1000:8.1f} ms "
                f"({min(values) * 1000:.1f}–{max(values) * 1000:.1f})"
            )

        ratio = ""
        if self.large:
            ratio = f"{statistics.median(self.large) / statistics.median(self.small):5.2f}×"
        return [self.name, fmt(self.small), fmt(self.large), ratio, self.goal, self.note]


# ---------------------------------------------------------------------------- data


def _people() -> dict[str, User]:
    people = {}
    unit = _units()[0]
    for role in ("pemohon", "kasi", "kabid", "kadis", "prakom", "admin"):
        user, created = User.objects.get_or_create(
            username=f"bench-{role}",
            defaults={
                "first_name": role.title(),
                "email": f"{role}@bench.invalid",
                "unit": unit if role == "pemohon" else None,
                "is_staff": role == "admin",
                "is_superuser": role == "admin",
            },
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=role))
        people[role] = user
    return people


def _units(count: int = 30) -> list[PerangkatDaerah]:
    existing = list(PerangkatDaerah.objects.order_by("pk"))
    for index in range(len(existing), count):
        existing.append(
            PerangkatDaerah.objects.create(
                code=f"U{index:03d}", name=f"Dinas Bench {index}", short_name=f"DB{index}"
            )
        )
    return existing


def _path_for(rng: random.Random, *, finished: bool) -> tuple[str, ...]:
    roll = rng.random()
    if roll < 0.85 or (finished and roll >= 0.95):
        return demo.HAPPY_PATH[1:]
    if roll < 0.95:
        return demo.path_to(State.REJECTED)[1:]
    return demo.HAPPY_PATH[1 : rng.randint(1, 12)]


def build(count: int, *, start: int = 0, seed: int = 7, history: bool = False) -> None:
    """Add ``count`` submitted proposals with their logs and visits (bulk).

    The first batch is the last twelve months (some still running); ``history`` adds
    older years, all finished — how an office's data grows over the years.
    """
    rng = random.Random(seed + start)  # noqa: S311 - repeatable benchmark data
    units = _units()
    people = _people()
    actor_of = {role: people[role].pk for role in ("pemohon", "kasi", "kabid", "kadis", "prakom")}
    now = timezone.now()
    year = now.year
    batch = 2000
    for offset in range(0, count, batch):
        size = min(batch, count - offset)
        plans = []
        requests = []
        for i in range(size):
            number = start + offset + i + 1
            days = rng.randint(400, 4000) if history else rng.randint(1, 360)
            created = now - datetime.timedelta(days=days, minutes=number % 977)
            path = ("submit", *_path_for(rng, finished=history))
            state = TARGET[path[-1]]
            plans.append((created, path))
            requests.append(
                ApplicationRequest(
                    registration_number=f"PB-{year}-{number:06d}",
                    unit=units[number % len(units)],
                    created_by_id=actor_of["pemohon"],
                    submitted_by_id=actor_of["pemohon"],
                    created_at=created,
                    submitted_at=created + datetime.timedelta(hours=2),
                    letter_number=f"027/{number}/BENCH",
                    letter_date=created.date(),
                    app_name=f"Sistem Informasi {['Data', 'Layanan', 'Arsip', 'Aset'][number % 4]}"
                    f" {number}",
                    background="Latar belakang.",
                    objectives="Tujuan.",
                    business_processes="Proses.",
                    intended_users="Staf.",
                    user_count=10,
                    data_description="Data.",
                    contact_name="Narahubung",
                    contact_position="Staf",
                    contact_phone="0812",
                    contact_email="n@bench.invalid",
                    state=state,
                    revision=len(path),
                    state_entered_at=created + datetime.timedelta(days=len(path)),
                    assigned_prakom_id=actor_of["prakom"] if "decide_needed" in path else None,
                    decision_needed=(
                        True
                        if "decide_needed" in path
                        else False
                        if "decide_not_needed" in path
                        else None
                    ),
                    presentation_rounds=1 if "record_presentation" in path else 0,
                    report_rounds=1 if "submit_report" in path else 0,
                    due_date=None
                    if state in (State.COMPLETED, State.REJECTED)
                    else (created + datetime.timedelta(days=len(path) + 3)).date(),
                    completed_at=created + datetime.timedelta(days=len(path))
                    if state in (State.COMPLETED, State.REJECTED)
                    else None,
                    total_working_days=len(path)
                    if state in (State.COMPLETED, State.REJECTED)
                    else None,
                )
            )
        ApplicationRequest.objects.bulk_create(requests, batch_size=500)
        logs, visits = [], []
        for req, (created, path) in zip(requests, plans, strict=True):
            previous, moment, state = GENESIS, created + datetime.timedelta(hours=2), State.DRAFT
            visits.append(
                StepVisit(
                    request=req,
                    step=1,
                    entered_at=created,
                    due_date=created.date() + datetime.timedelta(days=1),
                    standard_amount=1,
                    finished_at=moment,
                    taken=0,
                    on_time=True,
                )
            )
            for seq, name in enumerate(path, start=1):
                target = TARGET[name]
                log = TransitionLog(
                    request=req,
                    transition=name,
                    from_state=state,
                    to_state=target,
                    actor_id=actor_of[TRANSITION_ROLE[name]],
                    role=TRANSITION_ROLE[name],
                    note="",
                    created_at=moment,
                    seq=seq,
                    prev_hash=previous,
                )
                log.hash = previous = row_hash(log)
                logs.append(log)
                old_step, new_step = STEP_OF_STATE.get(state), STEP_OF_STATE.get(target)
                state = target
                if new_step and new_step != old_step:
                    taken = rng.choice([0, 1, 1, 2, 3, 5, 8])
                    finished = moment + datetime.timedelta(days=taken)
                    amount = (
                        SOP_STANDARDS[new_step][0]
                        * {"working_days": 1, "weeks": 5, "months": 20}[SOP_STANDARDS[new_step][1]]
                    )
                    is_last = seq == len(path)
                    visits.append(
                        StepVisit(
                            request=req,
                            step=new_step,
                            entered_at=moment,
                            due_date=(moment + datetime.timedelta(days=amount)).date(),
                            standard_amount=amount,
                            finished_at=None if is_last else finished,
                            taken=None if is_last else taken,
                            on_time=None if is_last else taken <= amount,
                        )
                    )
                    moment = finished
                moment += datetime.timedelta(hours=3)
        TransitionLog.objects.bulk_create(logs, batch_size=2000)
        StepVisit.objects.bulk_create(visits, batch_size=2000)


# ---------------------------------------------------------------------------- timing


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm up (templates, connection, caches)
    values = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        values.append(time.perf_counter() - started)
    return values


def count_queries(fn: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


class _ProposalAdmin(admin.ModelAdmin):
    """What a Django office would do: the admin changelist of the proposals."""

    list_display = ("registration_number", "app_name", "unit", "state", "created_at")
    list_select_related = ("unit",)
    list_per_page = PAGE
    search_fields = ("registration_number", "app_name")
    list_filter = ("state",)


def _admin_changelist():
    site = admin.AdminSite(name="bench_admin")
    model_admin = _ProposalAdmin(ApplicationRequest, site)
    factory = RequestFactory()
    superuser = User.objects.get(username="bench-admin")

    def view():
        request = factory.get("/admin/requests_intake/applicationrequest/")
        request.user = superuser
        response = model_admin.changelist_view(request)
        response.render()
        return response

    return view


def _pages(people: dict[str, User]) -> dict[str, Callable[[], object]]:
    clients = {}
    for role in ("kasi", "kadis"):
        client = Client()
        client.force_login(people[role])
        clients[role] = client
    completed = ApplicationRequest.objects.filter(state=State.COMPLETED).order_by("pk").first()
    unit = PerangkatDaerah.objects.order_by("pk").first()

    def get(role, url, query=None):
        def call():
            response = clients[role].get(url, query or {})
            assert response.status_code == 200, (url, response.status_code)
            return response

        return call

    list_url = reverse("requests_intake:list")
    return {
        "inbox (Kasi)": get("kasi", reverse("workflow:inbox")),
        "list, page 1": get("kasi", list_url),
        "list, filtered": get("kasi", list_url, {"state": "running", "unit": unit.pk}),
        "list, searched": get("kasi", list_url, {"q": "Arsip"}),
        "list, page 40": get("kasi", list_url, {"page": 40}),
        "proposal page": get("kasi", completed.get_absolute_url()),
        "dashboard (all years, informational)": get(
            "kadis", reverse("workflow:dashboard"), {"date_from": "2000-01-01"}
        ),
        "dashboard (last 12 months)": get(
            "kadis",
            reverse("workflow:dashboard"),
            {"date_from": (timezone.localdate() - datetime.timedelta(days=365)).isoformat()},
        ),
    }


def _peak_memory(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


# ---------------------------------------------------------------------------- transitions


def _transitions(count: int, repeat_note: str = "") -> Row:
    """``count`` proposals through all 12 steps: services vs bare writes."""
    people = _people()
    actors = {r: people[r] for r in ("pemohon", "kasi", "kabid", "kadis", "prakom")}
    # Documents the steps require are uploaded beforehand: only the transitions are timed.
    drafts = [demo.create_draft(actors, app_name=f"T{i}") for i in range(count)]
    from requests_intake.models import REQUIRED_KINDS
    from requests_intake.services import attachment_add

    for req in drafts:
        with transaction.atomic():
            for name in (
                "finish_design",
                "record_presentation",
                "submit_report",
                "finish_socialisation",
            ):
                for kind in REQUIRED_KINDS[name]:
                    attachment_add(
                        actor=people["prakom"], req=req, kind=kind, upload=demo.sample_upload(kind)
                    )
    from workflow.services import SERVICES

    started = time.perf_counter()
    for req in drafts:
        revision = req.revision
        for name in demo.HAPPY_PATH:
            state = ApplicationRequest.objects.values_list("state", flat=True).get(pk=req.pk)
            if name in demo.MEETING_OF:  # recorded only once scheduled
                demo.schedule_if_needed(req, demo.MEETING_OF[name], actors["prakom"], actors)
            SERVICES[name](
                actor=actors[ACTOR_OF_STATE[state]],
                request_id=req.pk,
                revision=revision,
                **demo.default_kwargs(name, actors),
            )
            revision += 1
    services_time = time.perf_counter() - started

    floor_ids = [demo.create_draft(actors, app_name=f"F{i}").pk for i in range(count)]
    started = time.perf_counter()
    logs = []
    for pk in floor_ids:
        state = State.DRAFT
        for name in demo.HAPPY_PATH:
            target = TARGET[name]
            extra = {"registration_number": f"PF-{pk}"} if name == "submit" else {}
            with transaction.atomic():
                ApplicationRequest.objects.filter(pk=pk).update(
                    state=target,
                    revision=F("revision") + 1,
                    state_entered_at=timezone.now(),
                    **extra,
                )
            logs.append(
                TransitionLog(
                    request_id=pk,
                    transition=name,
                    from_state=state,
                    to_state=target,
                    actor_id=people["kasi"].pk,
                    role="kasi",
                    seq=len(logs) + 1,
                )
            )
            state = target
    TransitionLog.objects.bulk_create(logs, batch_size=2000)
    floor_time = time.perf_counter() - started
    return Row(
        f"{count} proposals × 13 transitions: services vs bare writes",
        [floor_time],
        [services_time],
        "≤ 3×",
        "ratio = services / floor; documents queued, not rendered",
    )


# ---------------------------------------------------------------------------- run


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    DEBUG=False,
)
def run(
    *,
    small: int = 1000,
    large: int = 100_000,
    repeat: int = 7,
    transitions: int = 1000,
    documents: bool = True,
    write=print,
) -> list[Row]:
    rows: list[Row] = []
    people = _people()
    write(f"building {small} proposals …")
    t0 = time.perf_counter()
    build(small)
    write(f"  {time.perf_counter() - t0:.1f} s")
    pages = _pages(people)
    admin_view = _admin_changelist()
    small_times = {name: timed(fn, repeat) for name, fn in pages.items()}
    small_queries = {name: count_queries(fn) for name, fn in pages.items()}
    small_admin = timed(admin_view, repeat)
    small_ours = timed(pages["list, page 1"], repeat)

    write(f"building {large - small} more proposals …")
    t0 = time.perf_counter()
    build(large - small, start=small, history=True)
    write(f"  {time.perf_counter() - t0:.1f} s")
    reset_queries()
    pages = _pages(people)
    for name, fn in pages.items():
        large_times = timed(fn, repeat)
        queries = count_queries(fn)
        rows.append(
            Row(
                f"{name}: {small:,} → {large:,}",
                small_times[name],
                large_times,
                "≤ 1.5×",
                f"queries {small_queries[name]} → {queries}",
            )
        )
    admin_large = timed(admin_view, repeat)
    ours_large = timed(pages["list, page 1"], repeat)
    rows.append(
        Row(
            f"admin changelist vs our list @ {small:,} (ours/admin)",
            small_admin,
            small_ours,
            "≤ 1.0×",
            f"admin queries {count_queries(admin_view)}",
        )
    )
    rows.append(
        Row(
            f"admin changelist vs our list @ {large:,} (ours/admin)",
            admin_large,
            ours_large,
            "≤ 1.0×",
        )
    )
    peak = _peak_memory(pages["list, page 1"])
    rows.append(
        Row(
            f"peak memory serving the list @ {large:,}",
            [],
            None,
            "",
            f"{peak / 1024 / 1024:.1f} MiB (tracemalloc)",
        )
    )
    if transitions:
        write(f"taking {transitions} proposals through the SOP …")
        rows.append(_transitions(transitions))
    if documents:
        from reports.bench import run as documents_run

        write("rendering documents …")
        for result in documents_run():
            rows.append(
                Row(
                    f"documents: {result.get('name', '')}",
                    [],
                    None,
                    str(result.get("goal", "")),
                    _describe(result),
                )
            )
    return rows


def _describe(result: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in result.items() if k not in ("name", "goal"))


def table(rows: list[Row]) -> str:
    headers = ["row", "small / base", "large / compared", "ratio", "goal", "note"]
    cells = [headers] + [r.cells() for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(headers))]
    lines = [" | ".join(c[i].ljust(widths[i]) for i in range(len(headers))) for c in cells]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join(lines)
