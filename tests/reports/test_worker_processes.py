"""Documents appear and e-mails go out with no command typed, whatever dies when.

Real processes against a scratch instance (``tests.instance``): ``manage.py db_worker`` as
the service manager runs it, a web process that dies right after its commit, a worker
killed with SIGKILL in the middle of a render, two workers side by side. Runs on SQLite
and, with DATABASE_URL=postgres://…, on PostgreSQL.
"""

import signal
import time

import pytest

from tests.instance import Instance, wait_until

RENDER = "reports.tasks.render_document"
LEASE = 10  # seconds (SOPAPP_RENDER_LEASE), above the time limit of 8
HEAL_INTERVAL = 2  # seconds (SOPAPP_DOCUMENT_HEAL_INTERVAL)
# Past the lease and one more look, what a busy shared machine adds to start a worker.
SLACK = 30

LONG = (
    "Pendataan layanan masih dilakukan dengan lembar kerja terpisah di setiap bidang, "
    "sehingga rekapitulasi bulanan memakan waktu dan sering berbeda antarbidang. "
) * 25


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    scratch = Instance(
        tmp_path_factory.mktemp("healing"),
        "healing",
        SOPAPP_RENDER_TIME_LIMIT="8",
        SOPAPP_RENDER_LEASE=str(LEASE),
        SOPAPP_DOCUMENT_HEAL_INTERVAL=str(HEAL_INTERVAL),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    scratch.script("from tests.scenario import office\noffice()")
    yield scratch
    scratch.close()


@pytest.fixture
def site(instance):
    yield instance
    instance.stop()  # every worker a test started


def document(instance, doc_id: int) -> tuple:
    return instance.query(
        "SELECT status, render_started_at, attempts FROM reports_document WHERE id = %s",
        (doc_id,),
    )[0]


def render_tasks(instance, doc_id: int) -> list[str]:
    rows = instance.query(
        "SELECT status, args_kwargs FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = %s ORDER BY enqueued_at",
        (RENDER,),
    )
    import json

    return [
        status
        for status, args in rows
        if (args if isinstance(args, dict) else json.loads(args))["args"] == [doc_id]
    ]


def test_a_worker_killed_mid_render_leaves_no_document_stuck(site):
    doc_id = site.script(
        f"""
        from reports.models import Document
        from tests.scenario import proposal
        from workflow.models import User
        actors = {{u.username: u for u in User.objects.all()}}
        long = {LONG!r}
        req = proposal(
            actors, ("submit",), app_name="Dibunuh di tengah jalan",
            background=long, objectives=long, business_processes=long, data_description=long,
        )
        result = Document.objects.get(request=req).pk
        """
    )
    assert document(site, doc_id)[0] == "pending"
    worker = site.start_worker("worker-a")
    wait_until(lambda: document(site, doc_id)[1], timeout=60, interval=0.01, what="render started")
    site.kill(worker)
    killed = time.monotonic()
    status, started, attempts = document(site, doc_id)
    assert (status, attempts) == ("pending", 0), "the kill must land mid-render"
    assert render_tasks(site, doc_id) == ["RUNNING"]  # left behind by the dead worker

    site.start_worker("worker-b")  # the service manager starts the worker again
    wait_until(
        lambda: document(site, doc_id)[0] == "ready",
        timeout=LEASE + HEAL_INTERVAL + SLACK,
        interval=0.2,
        what="document ready after the crash",
    )
    assert time.monotonic() - killed >= LEASE - 1  # not before the lease ran out
    assert document(site, doc_id)[2] == 1
    # The dead worker's task is closed as failed; a new one rendered the document.
    assert render_tasks(site, doc_id) == ["FAILED", "SUCCESSFUL"]
    assert "Documents healed: 0 issued, 1 queued again, 1 abandoned" in site.log("worker-b.log")


def proposal_then_crash(site, path: tuple[str, ...], transition: str, name: str) -> int:
    """A proposal walked along ``path``, then ``transition`` taken by a process that dies
    right after its commit, before anything it queues after the commit (documents, e-mails)."""
    req_id = site.script(
        f"""
        from tests.scenario import proposal
        from workflow.models import User
        actors = {{u.username: u for u in User.objects.all()}}
        result = proposal(actors, {path!r}, app_name={name!r}).pk
        """
    )
    crashed = site.script(
        f"""
        import os, signal
        from django.db import transaction
        from requests_intake.models import ApplicationRequest
        from workflow import demo
        from workflow.models import User
        actors = {{u.username: u for u in User.objects.all()}}
        req = ApplicationRequest.objects.get(pk={req_id})
        with transaction.atomic():
            # The first thing run once the transaction commits: the process dies.
            transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
            demo.take(req, {transition!r}, actors)
        """,
        check=False,
    )
    assert crashed.returncode == -signal.SIGKILL
    return req_id


def test_a_web_process_dying_right_after_its_commit_loses_no_document(site):
    site.start_worker("worker-c")
    req_id = proposal_then_crash(
        site, ("submit", "receive"), "forward_to_kabid", "Mati setelah commit"
    )
    ((log_id,),) = site.query(
        "SELECT id FROM workflow_transitionlog WHERE request_id = %s AND transition = %s",
        (req_id, "forward_to_kabid"),
    )
    documents = "SELECT status FROM reports_document WHERE log_id = %s"
    # Numbered with the transition, committed with it; its render was never queued.
    assert site.query(documents, (log_id,)) in ([("pending",)], [("ready",)])

    wait_until(
        lambda: site.query(documents, (log_id,)) == [("ready",)],
        timeout=2 * HEAL_INTERVAL + SLACK,
        interval=0.2,
        what="the nota dinas of the crashed transition",
    )
    assert "Documents healed: 0 issued, 1 queued again" in site.log("worker-c.log")


def test_a_web_process_dying_right_after_its_commit_loses_no_email(site):
    site.start_worker("worker-e")
    req_id = proposal_then_crash(
        site, ("submit", "receive"), "forward_to_kabid", "Surel setelah commit"
    )
    emails = (
        "SELECT n.email_status FROM workflow_notification n JOIN workflow_transitionlog l "
        "ON l.id = n.log_id WHERE l.request_id = %s AND l.transition = %s"
    )
    # Never queued: only the worker's look can send it (its log says so below).
    assert site.query(emails, (req_id, "forward_to_kabid")) in ([("pending",)], [("sent",)])
    wait_until(
        lambda: site.query(emails, (req_id, "forward_to_kabid")) == [("sent",)],
        timeout=3 * HEAL_INTERVAL + SLACK,
        interval=0.2,
        what="the e-mail to the Kabid of the crashed transition",
    )
    assert "E-mails queued again: 1" in site.log("worker-e.log")


def test_two_workers_never_render_the_same_document_twice(site):
    ids = site.script(
        """
        from reports import services
        from reports.models import Document
        from tests.scenario import proposal
        from workflow.models import User
        actors = {u.username: u for u in User.objects.all()}
        result = []
        for n in range(8):
            req = proposal(actors, ("submit",), app_name=f"Dua pekerja {n}")
            doc = Document.objects.get(request=req)
            services.queue_render(doc.pk)  # queued twice (a retry pressed while it waited)
            result.append(doc.pk)
        """
    )
    site.start_worker("worker-d", "--no-heal")
    site.start_worker("worker-e", "--no-heal")
    wait_until(
        lambda: all(document(site, pk)[0] == "ready" for pk in ids),
        timeout=120,
        interval=0.2,
        what="all documents ready",
    )
    logs = {name: site.log(f"{name}.log") for name in ("worker-d", "worker-e")}
    rendered = {
        name: [pk for pk in ids if f"Rendered document {pk} in" in text]
        for name, text in logs.items()
    }
    assert sorted(rendered["worker-d"] + rendered["worker-e"]) == sorted(ids)  # once each
    assert rendered["worker-d"] and rendered["worker-e"]  # both were at work
    assert all(document(site, pk)[2] == 1 for pk in ids)
    # Every duplicate task ran too, and found nothing to do.
    for pk in ids:
        assert render_tasks(site, pk) == ["SUCCESSFUL", "SUCCESSFUL"]
