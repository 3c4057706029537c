"""The tables' state label equals the model's own display, in each language."""

import pytest
from django.utils import translation

from requests_intake.models import ApplicationRequest
from workflow.states import State
from workflow.templatetags.sop import state_label


@pytest.mark.parametrize("language", ["id", "en"])
def test_state_label_is_get_state_display(language):
    with translation.override(language):
        for state in State.values:
            req = ApplicationRequest(state=state)
            assert state_label(req) == req.get_state_display()
