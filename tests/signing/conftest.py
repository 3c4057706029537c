"""Fixtures for electronic signatures: the office CA and the officials' certificates are
made here, for real (cryptography + pyHanko), in each test's own media folder."""

import pytest

from signing import services
from tests.reports import conftest as reports_fixtures
from workflow import demo

# The documents' fixtures: after-commit work actually run, tasks run at once.
_immediate_tasks = reports_fixtures._immediate_tasks
committing = reports_fixtures.committing
walk = reports_fixtures.walk

PASSPHRASES = {
    "kasi": "kasi-rahasia-1",
    "kabid": "kabid-rahasia-2",
    "kadis": "kadis-rahasia-3",
    "prakom": "prakom-rahasia-4",
}


@pytest.fixture(autouse=True)
def _signing_settings(settings):
    settings.SOPAPP_SIGNER = "local"
    settings.SOPAPP_PUBLIC_URL = "http://testserver"


@pytest.fixture
def office_ca(db):
    return services.ca_init(name="CA Diskominfo Uji")


@pytest.fixture
def certificates(office_ca, users):
    """Every Diskominfo official gets a certificate protected by their own passphrase."""
    for name in PASSPHRASES:
        user = users[name]
        user.nip = f"1978051220050110{len(name):02d}"
        user.last_name = "Santoso"
        user.save(update_fields=["nip", "last_name"])
    return {
        name: services.certificate_issue(user=users[name], passphrase=passphrase)
        for name, passphrase in PASSPHRASES.items()
    }


@pytest.fixture
def decided(actors, walk, certificates):
    """A proposal the Kepala Dinas decided on (step 4): its keputusan awaits his signature."""
    return walk(demo.create_draft(actors), demo.HAPPY_PATH[:5])
