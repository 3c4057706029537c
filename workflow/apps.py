from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Alur SOP")

    def ready(self) -> None:
        # Each service binds itself to its transition (workflow.transitions), so the
        # registry is complete wherever it is read. Django's place for import-time
        # registration: the models are loaded by now.
        from workflow import services  # noqa: F401
