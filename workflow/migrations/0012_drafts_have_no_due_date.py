"""Drafts are not measured: step 1's clock starts at submission.

Drafts written before this change carry a due date and an open step-1 visit that made them
look overdue; both are removed (the visit opens again when the draft is submitted).
"""

from django.db import migrations


def forget_draft_clocks(apps, schema_editor):
    ApplicationRequest = apps.get_model("requests_intake", "ApplicationRequest")
    StepVisit = apps.get_model("workflow", "StepVisit")
    drafts = ApplicationRequest.objects.filter(state="draft")
    StepVisit.objects.filter(request__in=drafts, step=1, finished_at__isnull=True).delete()
    drafts.exclude(due_date=None).update(due_date=None)


class Migration(migrations.Migration):
    dependencies = [
        ("requests_intake", "0005_completed_index"),
        ("workflow", "0011_notification_email_claim"),
    ]

    operations = [migrations.RunPython(forget_draft_clocks, migrations.RunPython.noop)]
