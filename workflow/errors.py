"""Refusals a service can give. Views turn them into 403 or a clear message."""


class ActionError(Exception):
    """An action that cannot be taken; ``message`` is shown to the person."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = str(message)


class ActionForbidden(ActionError):
    """The person may see the proposal but may not take this action (HTTP 403)."""


class StaleAction(ActionError):
    """Someone else already moved the proposal; nothing was changed."""


class AlreadyTaken(StaleAction):
    """The same person already took this very action (a second press of the button)."""


class ActionIncomplete(ActionError):
    """The step lacks something it needs (e.g. a required document)."""
