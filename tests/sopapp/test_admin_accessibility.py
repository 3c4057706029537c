"""The admin names every control (inline rows, editable lists, split date/time) and loads
the small stylesheet that fixes target sizes, link underlines and the focus ring."""

import re

import pytest
from django.test import Client

from reports.models import Letterhead, NumberPattern
from workflow.models import StepStandard, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(users) -> Client:
    user = User.objects.create_superuser("root", "root@example.go.id", "x")
    client = Client()
    client.force_login(user)
    return client


def controls(html: str, name_pattern: str) -> list[str]:
    return re.findall(rf"<(?:input|select|textarea)[^>]*name=\"{name_pattern}\"[^>]*>", html)


def test_the_number_pattern_rows_of_the_letterhead_are_named_by_column_and_row(root):
    letterhead = Letterhead.load()
    if not NumberPattern.objects.filter(letterhead=letterhead).exists():
        pytest.skip("no number pattern rows to show")
    html = root.get(f"/admin/reports/letterhead/{letterhead.pk}/change/").content.decode()
    kinds = controls(html, r"[\w-]+-\d+-kind")
    patterns = controls(html, r"[\w-]+-\d+-pattern")
    deletes = controls(html, r"[\w-]+-\d+-DELETE")
    assert kinds and patterns and deletes
    for tag in kinds + patterns + deletes:
        assert re.search(r'aria-label="[^"]+ — [^"]+"', tag), tag


def test_the_time_half_of_a_date_and_time_field_has_a_name(root, users):
    html = root.get(f"/admin/workflow/user/{users['kasi'].pk}/change/").content.decode()
    (time_input,) = controls(html, "date_joined_1")
    assert re.search(r'aria-label="[^"]*: jam"', time_input), time_input
    (date_input,) = controls(html, "date_joined_0")
    assert re.search(r'aria-label="[^"]*: tanggal"', date_input), date_input


def test_editable_list_controls_name_their_row(root):
    html = root.get("/admin/workflow/stepstandard/").content.decode()
    amounts = controls(html, r"form-\d+-amount")
    assert len(amounts) == StepStandard.objects.count()
    first = StepStandard.objects.order_by("step").first()
    assert f" — {first}" in amounts[0], amounts[0]
    assert all(re.search(r'aria-label="[^"]+ — [^"]+"', tag) for tag in amounts)


def test_admin_pages_load_the_accessibility_stylesheet(root):
    html = root.get("/admin/").content.decode()
    assert "/static/css/admin.css" in html
