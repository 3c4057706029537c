"""The Django side of a load or scale run: people in the database, the script the
simulated people read, and the check of the database against what they saw."""

from __future__ import annotations

import base64
import json
import uuid
from collections import Counter
from pathlib import Path

PASSWORD = "Muat-Uji-" + uuid.uuid4().hex[:12]


def seed(users_per_role: dict[str, int], units: int = 5) -> list[tuple[str, str]]:
    """Units and users of every role, all with the run's password."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from requests_intake.models import PerangkatDaerah
    from workflow.models import User

    made = [
        PerangkatDaerah.objects.create(code=f"UJI{i}", name=f"Dinas Uji {i}", short_name=f"Uji {i}")
        for i in range(1, units + 1)
    ]
    hashed = make_password(PASSWORD)  # once: hashing is deliberately slow
    people = []
    for role, count in users_per_role.items():
        group = Group.objects.get(name=role)
        for number in range(1, count + 1):
            username = f"uji-{role}-{number}"
            user = User.objects.create(
                username=username,
                password=hashed,
                first_name=f"{role.title()} {number}",
                email=f"{username}@example.go.id",
                unit=made[number % units] if role == "pemohon" else None,
            )
            user.groups.add(group)
            people.append((username, role))
    return people


def _form_value(value) -> str | None:
    if value is True:
        return "on"
    if value is False or value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def write_script(path: Path, people: list[tuple[str, str]]) -> None:
    """What the simulated people need from the application's code, as JSON."""
    from requests_intake.models import AttachmentKind
    from workflow import demo
    from workflow.transitions import TRANSITIONS

    proposal = {}
    for key, value in demo.proposal_data().items():
        if (form := _form_value(value)) is not None:
            proposal[key] = form
    samples = {}
    for kind in AttachmentKind.values:
        upload = demo.sample_upload(kind)
        samples[kind] = (upload.name, base64.b64encode(upload.read()).decode())
    script = {
        "password": PASSWORD,
        "people": people,
        "proposal": proposal,
        "letter": base64.b64encode(demo.sample_pdf("Surat permintaan")).decode(),
        "samples": samples,
        "required": {
            name: list(transition.required_kinds)
            for name, transition in TRANSITIONS.items()
            if transition.required_kinds
        },
    }
    path.write_text(json.dumps(script))


def check_database(taken: dict[str, int]) -> dict:
    """Compare the transitions the people saw succeed with the database; verify the log."""
    from django.db.models import Count

    from reports.models import Document
    from requests_intake.models import ApplicationRequest
    from workflow import audit
    from workflow.models import TransitionLog

    stored = Counter(
        dict(
            TransitionLog.objects.values_list("request_id")
            .annotate(n=Count("pk"))
            .values_list("request_id", "n")
        )
    )
    seen = Counter({int(k): v for k, v in taken.items()})
    report = audit.verify()
    return {
        "transitions seen by the people": sum(seen.values()),
        "transitions in the database": sum(stored.values()),
        "lost (seen, not stored)": sum((seen - stored).values()),
        "stored but not seen (answer lost on the way)": sum((stored - seen).values()),
        "log chain problems": len(report.problems),
        "proposals": ApplicationRequest.objects.count(),
        "completed": ApplicationRequest.objects.filter(state="completed").count(),
        "documents by status": dict(
            Document.objects.values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        ),
    }
