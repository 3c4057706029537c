"""The documents' part of ``make bench``: ``run() -> list[dict]``.

Rows, measured in one run so the ratios compare like with like:
1. rendering a checkpoint document through Django (context queries, template, PDF, hash,
   storage) vs WeasyPrint alone rendering the same HTML string (goal ≤ 1.2×);
2. downloading the archived document through its view (access check, file streamed;
   no middleware) vs rendering it (goal ≤ 0.05×);
3. the rekam jejak of a request that went through two presentation rounds and one
   return: pages and seconds.

Everything happens inside a transaction that is rolled back, with files in a temporary
directory, so it can run against any migrated database without leaving a trace:
``python manage.py shell -c "from tools.bench.documents import run; print(*run(), sep='\\n')"``.
"""

import hashlib
import statistics
import tempfile
import time
import uuid

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import RequestFactory, override_settings
from weasyprint import HTML

from reports import services, views
from reports.fetcher import PDF_BASE_URL, ProjectFilesFetcher
from reports.models import Document, DocumentKind, document_path
from reports.pdf import font_config, html_to_pdf
from reports.render import document_html
from requests_intake.models import PerangkatDaerah
from workflow import demo
from workflow.models import User
from workflow.states import Role

# Two presentation rounds and one return by the Kasi, up to the Kadis's check.
BENCH_PATH = (
    *demo.HAPPY_PATH[:7],
    "request_another_round",
    "record_presentation",
    "request_agreement",
    "unit_agree",
    "accept_review",
    "submit_report",
    "kasi_return",
    "submit_report",
    "kasi_accept",
    "kabid_accept",
    "kadis_accept",
    "finish_socialisation",
)


class _Rollback(Exception):
    pass


def _samples(*fns, repeat: int) -> list[list[float]]:
    """Seconds of each run of each function, runs interleaved so drift hits all alike."""
    if repeat > 1:
        for fn in fns:
            fn()  # warm caches (fonts, templates, queries) once before timing
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, bucket in zip(fns, times, strict=True):
            started = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - started)
    return times


def _actors() -> dict:
    tag = uuid.uuid4().hex[:8]
    unit = PerangkatDaerah.objects.create(
        code=f"B{tag}", name="Dinas Contoh Benchmark", short_name="Bench"
    )
    actors = {}
    for role in (Role.PEMOHON, Role.KASI, Role.KABID, Role.KADIS, Role.PRAKOM):
        user = User.objects.create_user(
            username=f"bench-{role}-{tag}",
            first_name=f"Bench {role.title()}",
            unit=unit if role == Role.PEMOHON else None,
        )
        user.groups.add(Group.objects.get(name=role))
        actors[role] = user
    return actors


def _measure(repeat: int) -> list[dict]:
    actors = _actors()
    req = demo.walk(demo.create_draft(actors), actors, BENCH_PATH)
    # Issued with each transition; inside this transaction nothing commits, so none was
    # queued or rendered.
    docs = list(Document.objects.filter(request=req, log__isnull=False).order_by("pk"))
    doc = next(d for d in docs if d.kind == DocumentKind.REPORT)

    storage = Document._meta.get_field("file").storage

    def django_render():
        rendered = html_to_pdf(document_html(doc))
        hashlib.sha256(rendered.content).hexdigest()
        storage.delete(storage.save(document_path(doc, ""), ContentFile(rendered.content)))

    html = document_html(doc)

    def weasyprint_alone():
        HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=ProjectFilesFetcher()).write_pdf(
            font_config=font_config()
        )

    rendering_runs, weasy_runs = _samples(django_render, weasyprint_alone, repeat=repeat)
    rendering, weasy = statistics.median(rendering_runs), statistics.median(weasy_runs)

    archived = services.document_render(document_id=doc.pk)
    factory = RequestFactory()

    def download():
        request = factory.get(archived.get_absolute_url())
        request.user = actors[Role.KASI]
        response = views.download(request, pk=req.pk, doc_pk=archived.pk)
        b"".join(response.streaming_content)
        # Not response.close(): that sends request_finished, which closes the connection.
        response.file_to_stream.close()

    (downloading_runs,) = _samples(download, repeat=repeat)
    downloading = statistics.median(downloading_runs)

    started = time.perf_counter()
    record = services.record_request(actor=actors[Role.KASI], req=req)
    record = services.document_render(document_id=record.pk)
    record_seconds = time.perf_counter() - started

    return [
        {
            "name": "checkpoint document (Django) vs WeasyPrint alone, same HTML",
            "seconds": round(rendering, 4),
            "baseline_seconds": round(weasy, 4),
            "ratio": round(rendering / weasy, 3),
            "samples": rendering_runs,
            "baseline_samples": weasy_runs,
            "goal": "<= 1.2",
            "ok": rendering / weasy <= 1.2,
        },
        {
            "name": "download archived document vs render it",
            "seconds": round(downloading, 5),
            "baseline_seconds": round(rendering, 4),
            "ratio": round(downloading / rendering, 4),
            "samples": downloading_runs,
            "baseline_samples": rendering_runs,
            "goal": "<= 0.05",
            "ok": downloading / rendering <= 0.05,
        },
        {
            "name": "rekam jejak: 2 presentation rounds, 1 return",
            "seconds": round(record_seconds, 3),
            "pages": record.pages,
            "status": record.status,
            "ok": record.status == "ready",
        },
    ]


def run(repeat: int = 9) -> list[dict]:
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        try:
            with transaction.atomic():
                rows = _measure(repeat)
                raise _Rollback
        except _Rollback:
            pass
    return rows
