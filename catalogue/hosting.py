"""Where an application runs: the one list of places, shared by the catalogue entry, the step-8
record of a built application and the Kasi's study of a proposal (``workflow``).

A module of its own, importing nothing of the project, so that the workflow's models can use it
without importing the catalogue's models (which import the proposal's, which import the
workflow's).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Hosting(models.TextChoices):
    """Where an application runs (PDN = Pusat Data Nasional, PDD = Pusat Data Daerah)."""

    PDN = "pdn", _("Pusat Data Nasional (PDN)")
    PDD = "pdd", _("Pusat Data Daerah (PDD)")
    OTHER = "other", _("Lainnya")
