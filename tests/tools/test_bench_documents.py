from reports.models import Document
from requests_intake.models import ApplicationRequest
from tools.bench import documents as bench


def test_bench_runs_at_tiny_size_and_leaves_no_trace(db):
    rows = bench.run(repeat=1)
    assert [set(row) >= {"name", "seconds", "ok"} for row in rows] == [True, True, True]
    render, download, record = rows
    assert render["seconds"] > 0 and render["baseline_seconds"] > 0
    assert download["seconds"] < render["seconds"]
    assert record["status"] == "ready" and record["pages"] >= 2
    assert not Document.objects.exists() and not ApplicationRequest.objects.exists()
