"""Two people acting on the same proposal at the same moment, for real: two threads, two
database connections, released together by a barrier, 100 times over.

Exactly one wins each time; the other gets the clear refusal (``StaleAction``); the log
gets one row and the proposal reflects the winner only. PostgreSQL only: SQLite has no row
locks and serialises writers, so there is no race to observe there.
"""

import threading

import pytest
from django.db import connection, connections

from tests.conftest import make_user
from workflow import audit, demo
from workflow.errors import StaleAction
from workflow.models import Check, TransitionLog
from workflow.services import STALE_MESSAGE
from workflow.states import Role, State
from workflow.transitions import TRANSITIONS

ROUNDS = 100
# Two different transitions: fewer rounds, each still a real race (the run time is the
# transitions that bring the proposal back, not the race).
MIXED_ROUNDS = 50

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need PostgreSQL row locks (SELECT … FOR UPDATE); SQLite serialises "
        "writers. Run with DATABASE_URL=postgres://… to include them.",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _no_rendering(settings):
    # Checkpoint documents are still issued after each commit; rendering them is not under
    # test here and would dominate the run time.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def checking(make_request):
    return make_request(State.KASI_CHECK)


@pytest.fixture
def kasi2(units):
    return make_user("kasi2", Role.KASI)


class Racers:
    """Threads with their own database connections that act together when released.

    The threads live for the whole test (one connection each, as two app servers would
    have); each round the main thread hands every racer a call and opens the barrier.
    """

    def __init__(self, count: int) -> None:
        self.start = threading.Barrier(count + 1)
        self.done = threading.Barrier(count + 1)
        self.calls: list = [None] * count
        self.outcomes: list = [None] * count
        self.stopping = False
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(count)]
        for thread in self.threads:
            thread.start()

    def _run(self, index: int) -> None:
        try:
            while True:
                self.start.wait(timeout=30)
                if self.stopping:
                    return
                try:
                    self.calls[index]()
                    self.outcomes[index] = "ok"
                except Exception as exc:
                    self.outcomes[index] = exc
                self.done.wait(timeout=30)
        finally:
            connections.close_all()

    def race(self, *calls) -> list:
        self.calls[:] = calls
        self.outcomes[:] = [None] * len(calls)
        self.start.wait(timeout=30)
        self.done.wait(timeout=30)
        return list(self.outcomes)

    def stop(self) -> None:
        self.stopping = True
        self.start.wait(timeout=30)
        for thread in self.threads:
            thread.join(timeout=30)


@pytest.fixture
def racers():
    pair = Racers(2)
    yield pair
    pair.stop()


def check_call(name, actor, req, revision):
    def call():
        TRANSITIONS[name].service(
            actor=actor, proposal_id=req.pk, revision=revision, note=f"{name} oleh {actor}"
        )

    return call


def assert_one_winner(outcomes) -> int:
    winners = [i for i, outcome in enumerate(outcomes) if outcome == "ok"]
    losers = [outcome for outcome in outcomes if outcome != "ok"]
    assert len(winners) == 1, outcomes
    assert all(isinstance(loser, StaleAction) for loser in losers), losers
    assert all(loser.message == str(STALE_MESSAGE) for loser in losers)
    return winners[0]


def back_to_kasi_check(req, actors):
    req.refresh_from_db()
    if req.state == State.KABID_CHECK:
        req = demo.take(req, "kabid_return", actors)
    req = demo.take(req, "submit_report", actors)
    assert req.state == State.KASI_CHECK
    return req


def test_the_same_transition_twice_at_once(checking, actors, kasi2, racers):
    req = checking
    people = (actors["kasi"], kasi2)
    for _round in range(ROUNDS):
        before = (req.revision, TransitionLog.objects.filter(request=req).count())
        checks = Check.objects.filter(request=req).count()
        # Both saw the same page (same revision) and press "return" together.
        outcomes = racers.race(
            *(check_call("kasi_return", who, req, req.revision) for who in people)
        )
        winner = people[assert_one_winner(outcomes)]
        req.refresh_from_db()
        assert req.state == State.REPORT
        assert req.revision == before[0] + 1
        log = TransitionLog.objects.filter(request=req)
        assert log.count() == before[1] + 1
        newest = log.order_by("-seq").first()
        assert (newest.transition, newest.actor_id) == ("kasi_return", winner.pk)
        assert Check.objects.filter(request=req).count() == checks + 1
        req = back_to_kasi_check(req, actors)
    assert audit.verify([req.pk]).problems == []


def test_accept_and_return_at_once(checking, actors, kasi2, racers):
    req = checking
    expected = {"kasi_accept": State.KABID_CHECK, "kasi_return": State.REPORT}
    wins = {"kasi_accept": 0, "kasi_return": 0}
    for _round in range(MIXED_ROUNDS):
        before = TransitionLog.objects.filter(request=req).count()
        # No revision: only the row lock and the state guard stand between the two.
        outcomes = racers.race(
            check_call("kasi_accept", actors["kasi"], req, None),
            check_call("kasi_return", kasi2, req, None),
        )
        name = ("kasi_accept", "kasi_return")[assert_one_winner(outcomes)]
        wins[name] += 1
        req.refresh_from_db()
        assert req.state == expected[name]
        log = TransitionLog.objects.filter(request=req)
        assert log.count() == before + 1
        assert log.order_by("-seq").first().transition == name
        newest_check = Check.objects.filter(request=req).order_by("-pk").first()
        assert newest_check.accepted is (name == "kasi_accept")
        req = back_to_kasi_check(req, actors)
    assert audit.verify([req.pk]).problems == []
    assert sum(wins.values()) == MIXED_ROUNDS
