"""``manage.py seed_demo`` (``make demo``): what a person trying the demo meets.

The documents render in the background as with ``make run`` (the database task backend); the
seed itself renders the ones waiting for a signature. Real commits: the demo's documents are
issued when its transactions commit.
"""

import re

import pytest
from django.core.management import call_command

from catalogue.models import Application
from reports.models import Document, DocumentKind, DocumentStatus, Letterhead, NumberSource
from reports.services import is_stuck
from requests_intake.models import ApplicationRequest
from signing.models import SignatureRequest
from signing.selectors import ready_for
from workflow.management.commands.seed_demo import HISTORY, PROPOSALS, REGISTER_KIND
from workflow.models import Notification, User
from workflow.states import State

# Serialized rollback: the flush after this test must leave the migrations' rows (roles, step
# standards, content types) as the browser tests that follow restore them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SOPAPP_SIGNER = "local"
    call_command("seed_demo", verbosity=0)
    return Letterhead.load()


def test_the_demo_shows_a_handful_of_signatures_numbers_and_real_names(seeded):
    # Each official has a handful of documents waiting for their signature.
    waiting = {
        name: ready_for(User.objects.get(username=name)).count()
        for name in ("prakom", "kasi", "kabid", "kadis")
    }
    assert all(3 <= count <= 8 for count in waiting.values()), waiting

    # The finished history was signed on paper, before the office's electronic signatures.
    since = seeded.esign_since
    assert since is not None
    history = Document.objects.filter(request__app_name__in=[name for name, _o in HISTORY])
    assert history.exists()
    assert not history.filter(issued_at__date__gte=since).exists()
    assert not SignatureRequest.objects.filter(document__in=history).exists()
    assert set(history.values_list("request__state", flat=True).distinct()) == {
        State.COMPLETED,
        State.REJECTED,
    }
    # The proposals under way are signed electronically.
    current = [name for name, _owner, _path in PROPOSALS]
    assert SignatureRequest.objects.filter(document__request__app_name__in=current).exists()

    # Invitations are numbered from the register: the one to a meeting still to come waits.
    assert seeded.numbering_for(REGISTER_KIND).source == NumberSource.REGISTER
    awaiting = Document.objects.filter(status=DocumentStatus.AWAITING_NUMBER)
    assert awaiting.exists()
    assert set(awaiting.values_list("kind", flat=True)) == {DocumentKind.INVITATION}
    assert set(awaiting.values_list("request__state", flat=True)) <= {
        State.PRESENTATION,
        State.SOCIALISATION,
    }
    assert not history.filter(status=DocumentStatus.AWAITING_NUMBER).exists()

    # The catalogue's entries have names and addresses of their own, no loop numbers.
    names = list(Application.objects.values_list("name", flat=True))
    assert len(names) == len(set(names)) > 40
    assert not [name for name in names if re.search(r"\s\d+$", name)]
    built = Application.objects.filter(proposal__isnull=False)
    urls = list(built.values_list("url", flat=True))
    assert len(urls) == len(set(urls)) and "https://contoh.go.id" not in urls
    # Each request letter is signed by the head of the proposing unit.
    for req in ApplicationRequest.objects.select_related("unit"):
        assert req.signer_position == f"Kepala {req.unit.name}", req.app_name
    # What the moved clock leaves behind reads as now: steps since taken are not news, and
    # documents still queued for their render are not shown as stuck.
    for note in Notification.objects.filter(read_at__isnull=True, log__isnull=False):
        assert note.log_id == note.request.log.order_by("-seq").first().pk
    pending = Document.objects.filter(status=DocumentStatus.PENDING)
    assert not [doc.pk for doc in pending if is_stuck(doc)]
