"""The tables' choice labels equal the model's own display, in each language."""

import pytest
from django.utils import translation

from catalogue.models import Release
from requests_intake.models import ApplicationRequest
from workflow.models import (
    Meeting,
    Receipt,
    ReviewRound,
    StudyChecklist,
    TransitionLog,
    UnitAgreement,
)
from workflow.states import State
from workflow.templatetags.sop import choice_label, state_label


@pytest.mark.parametrize("language", ["id", "en"])
def test_state_label_is_get_state_display(language):
    with translation.override(language):
        for state in State.values:
            req = ApplicationRequest(state=state)
            assert state_label(req) == req.get_state_display()


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    ("model", "name"),
    [
        (TransitionLog, "from_state"),
        (Receipt, "sifat"),
        (ReviewRound, "outcome"),
        (UnitAgreement, "role"),
        (Meeting, "kind"),
        (StudyChecklist, "hosting"),
        (Release, "hosting"),
        (ApplicationRequest, "funding_source"),
    ],
)
def test_choice_label_is_the_fields_display(language, model, name):
    field = model._meta.get_field(name)
    with translation.override(language):
        for value in [value for value, _ in field.flatchoices] + ["unknown"]:
            row = model(**{field.attname: value})
            assert choice_label(row, name) == getattr(row, f"get_{name}_display")()
