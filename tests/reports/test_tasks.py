"""Production path: the database task backend queues the render; the worker runs it."""

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from reports.models import Document, DocumentStatus
from workflow import demo
from workflow.states import State


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


RENDER = "reports.tasks.render_document"


def run_worker() -> int:
    """What ``manage.py db_worker`` does for each queued task, without its process loop."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    for result in DBTaskResult.objects.ready().filter(task_path=RENDER).order_by("enqueued_at"):
        worker.run_task(result)
        ran += 1
    return ran


def test_the_person_acting_does_not_wait_for_the_pdf(database_backend, actors, walk, clients):
    req = walk(demo.create_draft(actors), ("submit", "receive", "forward_to_kabid"))
    assert req.state == State.KABID_FORWARD
    docs = list(Document.objects.order_by("pk"))
    assert [d.status for d in docs] == [DocumentStatus.PENDING] * 2
    queued = list(DBTaskResult.objects.ready().filter(task_path=RENDER))
    assert len(queued) == 2
    assert sorted(q.args_kwargs["args"][0] for q in queued) == [d.pk for d in docs]

    page = clients["kasi"].get(req.get_absolute_url()).content.decode()  # the unit: 1 of 2
    assert page.count("sedang dibuat") == 2

    assert run_worker() == 2
    assert set(Document.objects.values_list("status", flat=True)) == {DocumentStatus.READY}
    assert DBTaskResult.objects.successful().filter(task_path=RENDER).count() == 2
    page = clients["kasi"].get(req.get_absolute_url()).content.decode()
    assert "sedang dibuat" not in page and page.count("Unduh PDF") == 2
    page = clients["pemohon"].get(req.get_absolute_url()).content.decode()  # no nota dinas
    assert "sedang dibuat" not in page and page.count("Unduh PDF") == 1


def test_a_worker_running_a_task_twice_renders_once(database_backend, actors, walk):
    walk(demo.create_draft(actors), ("submit",))
    result = DBTaskResult.objects.get(task_path=RENDER)
    run_worker()
    doc = Document.objects.get()
    digest, name = doc.sha256, doc.file.name
    result.task.call(doc.pk)  # a duplicate delivery of the same task
    doc.refresh_from_db()
    assert (doc.sha256, doc.file.name) == (digest, name)
