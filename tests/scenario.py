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


def person(username: str, role: str, unit=None) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
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
