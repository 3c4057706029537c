from django.apps import AppConfig


class InstanceConfig(AppConfig):
    """Operations on the whole instance — every app's rows and every stored file at once:
    ``backup``, ``restore`` and ``verify_audit``. No models, no pages."""

    name = "instance"
