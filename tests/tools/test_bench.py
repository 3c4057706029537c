"""A small run of the benchmark, so ``make bench`` cannot rot."""

from sopapp import bench
from workflow.models import TransitionLog


def test_bench_smoke(db, settings):
    lines = []
    rows = bench.run(
        small=6, large=14, repeat=1, transitions=2, documents=False, write=lines.append
    )
    names = [r.name for r in rows]
    assert any(n.startswith("inbox") for n in names)
    assert any(n.startswith("dashboard") for n in names)
    assert any("admin changelist" in n for n in names)
    assert any("transitions" in n for n in names)
    text = bench.table(rows)
    assert "ratio" in text and "×" in text
    # the bulk data has the shape the services write: chained, one row per transition
    assert TransitionLog.objects.exclude(hash="").exists()


def test_the_bench_command_refuses_a_database_that_is_not_scratch(db):
    import pytest
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="bench"):
        call_command("bench", "--large", "20", "--small", "10")
