"""The administrator role (a staff user in the ``admin`` group, not a superuser) can edit
every piece of master data the README names, through the Django admin."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, make_user
from workflow.models import ActingAssignment, CalendarDay, Notification, StepStandard
from workflow.states import Role


@pytest.fixture
def administrator(db):
    user = make_user("pengelola", Role.ADMIN, is_staff=True)
    assert not user.is_superuser and not user.user_permissions.exists()
    return user


@pytest.fixture
def admin_client(administrator):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "pengelola", "password": PASSWORD}, follow=False
    )
    assert response.status_code == 302, "the administrator could not log in"
    return client


@pytest.fixture
def master_rows(users, make_request):
    kadis, kabid = users["kadis"], users["kabid"]
    day = CalendarDay.objects.create(date=datetime.date(2026, 12, 24), name="Cuti bersama")
    acting = ActingAssignment.objects.create(
        user=kabid,
        role=Role.KADIS,
        absent_official=kadis,
        decree_number="800/1/2026",
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2026, 12, 5),
        created_by=users["admin"],
    )
    req = make_request()
    note = Notification.objects.create(
        recipient=users["kasi"], request=req, kind=Notification.Kind.TRANSITION
    )
    return {
        "calendarday": day,
        "actingassignment": acting,
        "notification": note,
        "stepstandard": StepStandard.objects.get(step=1),
    }


def test_the_migration_gives_the_admin_role_its_master_data_permissions(db):
    codenames = set(
        Group.objects.get(name=Role.ADMIN).permissions.values_list("codename", flat=True)
    )
    for expected in (
        "add_actingassignment",
        "change_actingassignment",
        "delete_actingassignment",
        "view_stepstandard",
        "change_stepstandard",
        "add_calendarday",
        "change_calendarday",
        "delete_calendarday",
        "view_notification",
        "change_notification",
        "add_user",
        "change_user",
        "change_group",
        "change_roletitle",
        "add_perangkatdaerah",
        "change_perangkatdaerah",
        "change_letterhead",
        "view_document",
    ):
        assert expected in codenames, expected
    # Nothing beyond master data: the SOP's own records stay out of the admin's reach.
    assert not Permission.objects.filter(
        group__name=Role.ADMIN, codename__in=["change_transitionlog", "change_decision"]
    ).exists()


def test_the_admin_index_lists_every_master_data_page(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = response.content.decode()
    for title in (
        "Pelaksana tugas / harian",
        "Mutu baku tahap",
        "Kalender hari kerja",
        "Notifikasi",
        "Pengguna",
        "Perangkat Daerah",
        "Sebutan peran",
        "Kop surat",
    ):
        assert title in page, title


@pytest.mark.parametrize(
    "model, add",
    [
        ("actingassignment", True),
        ("stepstandard", False),  # the twelve steps are seeded; never added or deleted
        ("calendarday", True),
        ("notification", False),  # written by the workflow; the admin sees and resends
    ],
)
def test_the_administrator_opens_each_master_data_page(admin_client, master_rows, model, add):
    obj = master_rows[model]
    urls = [
        reverse(f"admin:workflow_{model}_changelist"),
        reverse(f"admin:workflow_{model}_change", args=[obj.pk]),
    ]
    if add:
        urls.append(reverse(f"admin:workflow_{model}_add"))
    for url in urls:
        assert admin_client.get(url).status_code == 200, url


def test_the_administrator_adds_a_holiday_and_edits_a_time_standard(admin_client, master_rows):
    response = admin_client.post(
        reverse("admin:workflow_calendarday_add"),
        {"date": "2026-12-31", "is_holiday": "on", "name": "Libur akhir tahun", "source": "admin"},
    )
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date=datetime.date(2026, 12, 31)).exists()
    standard = master_rows["stepstandard"]
    before = standard.amount
    response = admin_client.post(
        reverse("admin:workflow_stepstandard_change", args=[standard.pk]),
        {
            "activity": standard.activity,
            "actor": standard.actor,
            "inputs": standard.inputs,
            "output": standard.output,
            "amount": standard.amount + 2,
            "unit": standard.unit,
        },
    )
    assert response.status_code == 302
    standard.refresh_from_db()
    assert standard.amount == before + 2


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("workflow_calendarday", "date__year=9999"),
        ("workflow_calendarday", "date__year=99999"),
        ("workflow_actingassignment", "start_date__year=9999&start_date__month=12"),
        ("workflow_notification", "created_at__year=99999"),
        ("workflow_notification", "created_at__year=9999"),
        ("workflow_user", "date_joined__year=9999"),
    ],
)
def test_a_date_link_out_of_range_is_an_invalid_lookup_not_a_server_error(
    admin_client, master_rows, page, query
):
    url = reverse(f"admin:{page}_changelist") + "?" + query
    response = admin_client.get(url)
    if response.status_code == 302:  # the admin's own "invalid lookup" answer
        assert response["Location"].endswith("?e=1")
        response = admin_client.get(response["Location"])
    assert response.status_code == 200  # a year the database can still filter on is a list
