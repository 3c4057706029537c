"""Documents that would never appear are found and queued; staff see them and can repair.

``documents_heal`` is what each ``db_worker`` runs every SOPAPP_DOCUMENT_HEAL_INTERVAL
seconds (the processes themselves are in ``test_worker_processes.py``). Inside a test
transaction nothing commits, so a transition taken without ``committing`` is exactly what
a web process leaves behind when it dies between its commit and its after-commit work: the
documents issued with the transition, their renders never queued. A checkpoint left
without its documents is one whose issuing failed (``issuing_fails``).
"""

import datetime

import pytest
import time_machine
from django.core.management import get_commands
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports import rendering, services
from reports.models import Document, DocumentKind, DocumentStatus, RenderFailure
from requests_intake.forms import FREE_TEXT_LIMITS
from tests.reports.test_tasks import RENDER, run_worker
from workflow import demo


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def render_tasks(doc: Document, status: str = "READY") -> int:
    return sum(
        1
        for row in DBTaskResult.objects.filter(task_path=RENDER, status=status)
        if row.args_kwargs["args"] == [doc.pk]
    )


def later(seconds: float) -> time_machine.travel:
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=seconds), tick=False)


@pytest.fixture
def issuing_fails(monkeypatch):
    """Issuing a checkpoint's documents fails (its savepoint rolls back; the transition
    goes through), until ``.undo()``."""

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("reports.services.number_documents", broken)
    return monkeypatch


def heal(committing) -> services.HealReport:
    return committing(services.documents_heal)


def test_db_worker_is_the_self_healing_one():
    assert get_commands()["db_worker"] == "reports"


class TestHeal:
    def test_a_checkpoint_left_without_its_document_is_issued_and_queued(
        self, database_backend, actors, committing, settings, issuing_fails
    ):
        req = demo.walk(demo.create_draft(actors), actors, ("submit",))
        issuing_fails.undo()
        assert not Document.objects.exists()
        # Too recent: the web process may be issuing it right now.
        assert not heal(committing)
        with later(settings.SOPAPP_DOCUMENT_HEAL_INTERVAL + 1):
            report = heal(committing)
            assert (report.issued, report.requeued) == (1, 0)
            doc = Document.objects.get()
            assert (doc.kind, doc.log, doc.status) == (
                DocumentKind.RECEIPT,
                req.log.get(),
                DocumentStatus.PENDING,
            )
            assert render_tasks(doc) == 1
            assert not heal(committing)  # issued once, queued once
        assert run_worker() == 1
        doc.refresh_from_db()
        assert doc.status == DocumentStatus.READY

    def test_a_pending_document_no_task_will_pick_up_is_queued_again(
        self, database_backend, actors, settings, committing
    ):
        req = demo.walk(demo.create_draft(actors), actors, ("submit",))  # then it died
        doc = Document.objects.get(log=req.log.get())
        assert render_tasks(doc) == 0
        assert not heal(committing)
        with later(settings.SOPAPP_DOCUMENT_HEAL_INTERVAL + 1):
            assert heal(committing).requeued == 1
            assert render_tasks(doc) == 1
            assert not heal(committing)  # a task is waiting for it now

    def test_a_render_that_outlived_its_lease_is_restarted_and_its_task_closed(
        self, database_backend, actors, walk, settings, committing
    ):
        walk(demo.create_draft(actors), ("submit",))
        doc = Document.objects.get()
        task = DBTaskResult.objects.get(task_path=RENDER)
        # A worker takes the task and the document's lease, then dies (nothing more happens).
        task.claim("worker-that-died")
        assert rendering.document_claim(doc.pk) is not None
        with later(settings.SOPAPP_RENDER_LEASE - 5):
            assert not heal(committing)  # a live worker could still be at it
        with later(settings.SOPAPP_RENDER_LEASE + 1):
            report = heal(committing)
            assert (report.abandoned_tasks, report.requeued) == (1, 1)
            task.refresh_from_db()
            assert task.status == "FAILED" and task.exception_class_path.endswith("WorkerLost")
            assert run_worker() == 1
        doc.refresh_from_db()
        assert doc.status == DocumentStatus.READY and doc.attempts == 1

    def test_the_look_for_missing_documents_costs_one_query(
        self, actors, walk, django_assert_num_queries
    ):
        walk(demo.create_draft(actors), ("submit", "receive", "forward_to_kabid"))
        with django_assert_num_queries(1):
            assert services.checkpoints_without_documents() == []

    def test_a_duplicate_task_does_not_render_a_document_being_rendered(self, actors, walk):
        req = demo.walk(demo.create_draft(actors), actors, ("submit",))
        doc = Document.objects.get(log=req.log.get())
        assert rendering.document_claim(doc.pk) is not None  # a worker is at it
        assert rendering.document_render(document_id=doc.pk).status == DocumentStatus.PENDING
        assert rendering.document_claim(doc.pk) is None


class TestProposalPage:
    def test_staff_see_a_checkpoint_without_documents_and_can_issue_it(
        self, actors, clients, committing, issuing_fails
    ):
        req = demo.walk(demo.create_draft(actors), actors, ("submit",))
        issuing_fails.undo()
        issue = reverse("reports:issue_missing", args=[req.pk, req.log.get().pk])
        page = clients["kasi"].get(req.get_absolute_url()).content.decode()
        assert "belum terbit" in page and "Tanda Terima Usulan" in page and issue in page
        page = clients["pemohon"].get(req.get_absolute_url()).content.decode()
        assert "belum terbit" in page and issue not in page  # seen, repaired by Diskominfo
        assert committing(clients["pemohon"].post, issue).status_code == 403
        assert not Document.objects.exists()

        response = committing(clients["kasi"].post, issue, follow=True)
        assert "diterbitkan dan sedang dibuat" in response.content.decode()
        doc = Document.objects.get()
        assert doc.status == DocumentStatus.READY and doc.log == req.log.get()
        page = clients["kasi"].get(req.get_absolute_url()).content.decode()
        assert "belum terbit" not in page and doc.get_absolute_url() in page
        response = committing(clients["kasi"].post, issue, follow=True)
        assert "sudah diterbitkan" in response.content.decode()
        assert Document.objects.count() == 1

    def test_staff_see_a_stuck_document_and_can_make_it_again(
        self, actors, clients, committing, settings
    ):
        req = demo.walk(demo.create_draft(actors), actors, ("submit",))
        doc = Document.objects.get(log=req.log.get())
        rendering.document_claim(doc.pk)  # a worker took it and died
        retry = reverse("reports:retry", args=[req.pk, doc.pk])
        page = clients["kasi"].get(req.get_absolute_url()).content.decode()
        assert "sedang dibuat" in page and "tertahan" not in page and retry not in page
        with later(settings.SOPAPP_RENDER_LEASE + 1):
            page = clients["kasi"].get(req.get_absolute_url()).content.decode()
            assert "tertahan" in page and retry in page
            assert committing(clients["kasi"].post, retry).status_code == 302
        doc.refresh_from_db()
        assert doc.status == DocumentStatus.READY


LONGEST = {name: ("Pendataan layanan di setiap bidang. " * 200)[:n] for name, n in
           FREE_TEXT_LIMITS.items()}  # fmt: skip


class TestRenderBudget:
    def test_a_document_over_the_page_limit_fails_with_the_reason(
        self, actors, walk, clients, settings
    ):
        settings.SOPAPP_RENDER_MAX_PAGES = 1
        req = walk(demo.create_draft(actors, **LONGEST), ("submit",))
        doc = Document.objects.get()
        assert doc.status == DocumentStatus.FAILED and doc.failure == RenderFailure.TOO_MANY_PAGES
        assert "more than the limit of 1" in doc.error
        assert not doc.file and not list((settings.MEDIA_ROOT).rglob("documents/**/*.pdf"))
        page = clients["kasi"].get(req.get_absolute_url()).content.decode()
        assert "gagal dibuat" in page
        assert "Sebab: dokumen melebihi batas jumlah halaman." in page

    def test_a_render_over_the_time_limit_fails_with_the_reason(
        self, actors, walk, clients, settings
    ):
        settings.SOPAPP_RENDER_TIME_LIMIT = 0.05  # a tanda terima takes ~0.2 s or more
        req = walk(demo.create_draft(actors, **LONGEST), ("submit",))
        doc = Document.objects.get()
        assert doc.status == DocumentStatus.FAILED and doc.failure == RenderFailure.TOO_SLOW
        page = clients["kasi"].get(req.get_absolute_url()).content.decode()
        assert "Sebab: pembuatan dokumen melebihi batas waktu." in page

    def test_the_longest_proposal_the_form_allows_renders_within_the_budget(
        self, actors, walk, settings
    ):
        walk(demo.create_draft(actors, **LONGEST), ("submit",))
        doc = Document.objects.get()
        assert doc.status == DocumentStatus.READY, doc.error
        assert doc.pages <= settings.SOPAPP_RENDER_MAX_PAGES // 4
        assert doc.render_seconds < settings.SOPAPP_RENDER_TIME_LIMIT / 4
