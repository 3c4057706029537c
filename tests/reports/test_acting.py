"""An acting official's sign-off prints as Plt./Plh. of the post."""

import datetime

from django.utils import timezone

from reports.models import Document, DocumentKind
from tests.reports.conftest import pdf_text
from workflow import demo
from workflow.models import ActingAssignment
from workflow.services import take_decide_needed


def test_a_plt_kepala_dinas_signs_the_decision_as_plt(users, actors, walk, committing):
    today = timezone.localdate()
    ActingAssignment.objects.create(
        user=users["kabid"],
        role="kadis",
        kind="plt",
        absent_official=users["kadis"],
        decree_number="800/12/DISKOMINFO/2026",
        start_date=today,
        end_date=today + datetime.timedelta(days=1),
    )
    req = demo.walk(demo.create_draft(actors), actors, demo.HAPPY_PATH[:4])
    committing(
        take_decide_needed,
        actor=users["kabid"],
        proposal_id=req.pk,
        revision=req.revision,
        reason="Disetujui Plt.",
        prakom=users["prakom"],
    )
    for kind in (DocumentKind.LETTER, DocumentKind.KADIS_DISPOSITION):
        text = " ".join(pdf_text(Document.objects.get(kind=kind)).split())
        assert "Plt. KEPALA DINAS KOMUNIKASI DAN INFORMATIKA" in text, kind
        assert users["kabid"].get_full_name() in text and "Disetujui Plt." in text
