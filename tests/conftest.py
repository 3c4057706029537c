"""Shared fixtures: one user and one logged-in client per SOP role, plus an outsider.

``pemohon`` belongs to Dinas Kesehatan; ``pemohon2`` (the outsider) to Dinas Pendidikan.
Proposals reach a mid-workflow state through the services (``workflow.demo``), never
by writing ``state``.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from requests_intake.models import PerangkatDaerah
from workflow import demo
from workflow.models import User
from workflow.states import Role

PASSWORD = "sop-test-2026"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # master data is cached between requests; tests start clean
    settings.SOPAPP_MASTERDATA_TTL = 3600  # query counts must not depend on the clock
    # Password hashing is not under test here; the fast hasher keeps fixtures cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def units(db):
    return {
        "dinkes": PerangkatDaerah.objects.create(
            code="DINKES", name="Dinas Kesehatan", short_name="Dinkes"
        ),
        "disdik": PerangkatDaerah.objects.create(
            code="DISDIK", name="Dinas Pendidikan", short_name="Disdik"
        ),
    }


def make_user(username: str, role: str | None, unit=None, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=username.title(),
        unit=unit,
        email=f"{username}@example.go.id",
        **extra,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def users(units) -> dict[str, User]:
    return {
        "pemohon": make_user("pemohon", Role.PEMOHON, units["dinkes"]),
        "pemohon2": make_user("pemohon2", Role.PEMOHON, units["disdik"]),
        "kasi": make_user("kasi", Role.KASI),
        "kabid": make_user("kabid", Role.KABID),
        "kadis": make_user("kadis", Role.KADIS),
        "prakom": make_user("prakom", Role.PRAKOM),
        "admin": make_user("admin", Role.ADMIN, is_staff=True),
    }


@pytest.fixture
def actors(users) -> dict[str, User]:
    """The SOP actor of each role for proposals of ``pemohon``'s unit."""
    return {role: users[role] for role in ("pemohon", "kasi", "kabid", "kadis", "prakom")}


@pytest.fixture
def clients(users) -> dict[str, Client]:
    result = {}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        result[name] = client
    return result


@pytest.fixture
def anon() -> Client:
    return Client()


@pytest.fixture
def draft(actors):
    return demo.create_draft(actors)


@pytest.fixture
def make_request(actors):
    """Build a proposal of ``pemohon``'s unit and walk it to ``state`` via the services."""

    def build(state: str = "draft", **overrides):
        req = demo.create_draft(actors, **overrides)
        return demo.walk(req, actors, demo.path_to(state))

    return build
