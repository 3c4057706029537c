"""People and proposals for a scratch instance (``tests.instance``), built inside its own
Django process through the services, as in ``tests/conftest.py``."""

from django.contrib.auth.models import Group

from requests_intake.models import PerangkatDaerah
from tests.instance import PASSWORD
from workflow import demo
from workflow.models import User
from workflow.states import Role


def unit(code: str, name: str) -> PerangkatDaerah:
    return PerangkatDaerah.objects.get_or_create(
        code=code, defaults={"name": name, "short_name": code.title()}
    )[0]


def person(username: str, role: str, unit=None, *, password: str | None = PASSWORD) -> User:
    """A user in ``role``; ``password=None`` skips the (deliberately slow) hashing."""
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=username.title(),
        unit=unit,
        email=f"{username}@example.go.id",
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def office() -> dict[str, User]:
    """One person per SOP role, the pemohon in Dinas Kesehatan."""
    return {
        "pemohon": person("pemohon", Role.PEMOHON, unit("DINKES", "Dinas Kesehatan")),
        "kasi": person("kasi", Role.KASI),
        "kabid": person("kabid", Role.KABID),
        "kadis": person("kadis", Role.KADIS),
        "prakom": person("prakom", Role.PRAKOM),
    }


def proposal(actors: dict, path, **overrides):
    return demo.walk(demo.create_draft(actors, **overrides), actors, path)


def session_for(user: User) -> str:
    """A signed-in session of ``user`` (what logging in gives), without the password hash."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key
