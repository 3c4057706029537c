"""Twelve people press their action buttons in the same instant, round after round, on
the real server with the document worker rendering beside it (what ``make run`` starts).

Each person takes a different action on a different proposal: three pemohon submit, two
Kasi receive and forward, a Kabid forwards, two Kepala Dinas decide either way, two Prakom
finish a design and a report, a Kabid accepts a report and a Kasi returns one. Threads
released by a barrier; several rounds. Every click must answer with the redirect that
follows success (never a server error such as SQLite's "database is locked"), every
transition must be stored with its actor, and every proposal's log chain must verify.

Runs on SQLite (the default) and, with DATABASE_URL=postgres://…, on PostgreSQL.
"""

import threading
import time

import pytest

from tests.instance import Browser, Instance

ROUNDS = 3

SETUP = """
from django.utils import timezone
from tests.scenario import person, session_for, unit
from workflow import demo
from workflow.states import Role, State
from workflow.transitions import TRANSITIONS

units = [unit("DINKES", "Dinas Kesehatan"), unit("DISDIK", "Dinas Pendidikan"),
         unit("BAPPEDA", "Bappeda")]
pemohon = [person(f"pemohon{i}", Role.PEMOHON, u, password=None) for i, u in enumerate(units, 1)]
kasi = [person(f"kasi{i}", Role.KASI, password=None) for i in (1, 2, 3)]
kabid = [person(f"kabid{i}", Role.KABID, password=None) for i in (1, 2)]
kadis = [person(f"kadis{i}", Role.KADIS, password=None) for i in (1, 2)]
prakom = [person(f"prakom{i}", Role.PRAKOM, password=None) for i in (1, 2)]
today = timezone.localdate().isoformat()


def actors(prakom_user=prakom[0], owner=pemohon[0]):
    return {"pemohon": owner, "kasi": kasi[0], "kabid": kabid[0], "kadis": kadis[0],
            "prakom": prakom_user}


def ready_for(action, state, people, name):
    req = demo.walk(demo.create_draft(people, app_name=name), people, demo.path_to(state))
    assert req.state == state, (req.state, state)
    actor = demo.transition_actor(req, people)
    for kind in TRANSITIONS[action].required_kinds:  # what the person uploaded beforehand
        demo.attachment_upload(
            actor=actor, request_id=req.pk, kind=kind, upload=demo.sample_upload(kind)
        )
    return req.pk


sessions = {u.username: session_for(u) for u in [*pemohon, *kasi, *kabid, *kadis, *prakom]}
rounds = []
for r in range(ROUNDS):
    plan = []

    def add(who, action, state, data, people=None):
        people = people or actors()
        name = f"Ronde {r} {action}"
        if state == State.DRAFT:
            pk = demo.create_draft(people, app_name=name).pk
        else:
            pk = ready_for(action, state, people, name)
        plan.append({"user": who.username, "proposal": pk, "action": action, "data": data})

    for p in pemohon:
        add(p, "submit", State.DRAFT, {}, actors(owner=p))
    for k in kasi[:2]:
        add(k, "receive", State.RECEIVE, {
            "agenda_number": f"AG-{r}-{k.pk}", "received_date": today, "sifat": "biasa",
            "study_notes": "Usulan lengkap."})
    add(kasi[2], "forward_to_kabid", State.KASI_FORWARD,
        {"instructions": "proses_lanjut", "note": "Mohon diproses."})
    for k in kabid:
        add(k, "forward_to_kadis", State.KABID_FORWARD,
            {"instructions": "mohon_keputusan", "note": "Mohon keputusan."})
    add(kadis[0], "decide_needed", State.DECISION,
        {"reason": "Mendukung SPBE daerah.", "prakom": str(prakom[1].pk)})
    add(kadis[1], "decide_not_needed", State.DECISION,
        {"reason": "Sudah tersedia Aplikasi Umum."})
    add(prakom[0], "finish_design", State.DESIGN, {"summary": "Struktur data dan alur."},
        actors(prakom[0]))
    add(prakom[1], "accept_review", State.REVIEW, {
        "requested_changes": "Tambah ekspor.", "changes_made": "Ekspor ditambahkan."},
        actors(prakom[1]))
    rounds.append(plan)
result = {"rounds": rounds, "sessions": sessions}
"""

CHECK = """
from workflow.models import TransitionLog
result = [
    list(TransitionLog.objects.filter(request_id=step["proposal"], transition=step["action"])
         .values_list("actor__username", flat=True))
    for plan in PLAN for step in plan
]
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    instance = Instance(tmp_path_factory.mktemp("people"), "people")
    yield instance
    instance.close()


def test_twelve_people_acting_at_the_same_instant(site):
    site.start_worker("worker")  # renders the setup's documents while people work
    base = site.start_server()
    setup = site.script(SETUP.replace("ROUNDS", str(ROUNDS)), timeout=300)
    rounds, sessions = setup["rounds"], setup["sessions"]
    people = sorted({step["user"] for step in rounds[0]})
    assert len(people) == 12 and len(rounds[0]) == 12
    browsers = {name: Browser(base) for name in people}
    for name, browser in browsers.items():
        browser.use_session(sessions[name])  # signed in (logging in is tested elsewhere)
    answers: list[tuple] = []
    for plan in rounds:
        start = threading.Barrier(len(plan))

        def press(step, start=start):
            browser = browsers[step["user"]]
            prefix = step["action"]
            data = {f"{prefix}-{k}": v for k, v in step["data"].items()}
            # The person has the page open (its revision in the form), then clicks.
            data[f"{prefix}-revision"] = browser.revision(step["proposal"], prefix)
            start.wait(timeout=60)
            status, page = browser.request(f"/usulan/{step['proposal']}/aksi/{prefix}/", data)
            answers.append((step["user"], prefix, status, page[:300] if status != 302 else ""))

        threads = [threading.Thread(target=press, args=(step,)) for step in plan]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert time.monotonic() - began < 120

    assert len(answers) == 12 * ROUNDS
    failed = [answer for answer in answers if answer[2] != 302]
    assert failed == [], failed  # every click succeeded: no 500, no form error
    assert '" 500 ' not in site.log("server.log")

    stored = site.script(CHECK.replace("PLAN", repr(rounds)))
    expected = [[step["user"]] for plan in rounds for step in plan]
    assert stored == expected  # each transition once, by the person who pressed
    audit = site.manage("verify_audit")
    assert audit.returncode == 0, audit.stderr
    assert "intact" in audit.stdout
