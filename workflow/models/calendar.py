"""Step time standards (*mutu baku*) and the office calendar."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models.cache import forget


class StandardUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("hari kerja")
    CALENDAR_DAYS = "calendar_days", _("hari kalender")
    WEEKS = "weeks", _("minggu (5 hari kerja)")
    MONTHS = "months", _("bulan (20 hari kerja)")


# The default conversion of the SOP's table into working days.
WORKING_DAYS_PER_UNIT = {
    StandardUnit.WORKING_DAYS: 1,
    StandardUnit.WEEKS: 5,
    StandardUnit.MONTHS: 20,
}


class StepStandard(models.Model):
    """The time standard (*mutu baku*) of one SOP step; admin-editable.

    A change applies to steps entered afterwards: a running step keeps its due date.
    """

    step = models.PositiveSmallIntegerField(_("tahap"), unique=True)
    activity = models.CharField(_("kegiatan"), max_length=300)
    actor = models.CharField(_("pelaksana"), max_length=200)
    inputs = models.CharField(_("kelengkapan"), max_length=300)
    output = models.CharField(_("output"), max_length=300)
    amount = models.PositiveSmallIntegerField(_("waktu"))
    unit = models.CharField(_("satuan"), max_length=20, choices=StandardUnit.choices)

    class Meta:
        verbose_name = _("mutu baku tahap")
        verbose_name_plural = _("mutu baku tahap")
        ordering = ["step"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(step__gte=1, step__lte=12), name="standard_step_range"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=1), name="standard_amount_min"),
        ]

    def __str__(self) -> str:
        return f"{self.step}. {self.activity} ({self.amount} {self.get_unit_display()})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        forget("sop:step-standards")
        forget("sop:step-measures")

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        forget("sop:step-standards")
        forget("sop:step-measures")
        return result

    @property
    def calendar_days(self) -> bool:
        return self.unit == StandardUnit.CALENDAR_DAYS

    @property
    def measured_amount(self) -> int:
        """The standard in the unit it is measured in (working or calendar days)."""
        if self.calendar_days:
            return self.amount
        return self.amount * WORKING_DAYS_PER_UNIT[StandardUnit(self.unit)]


class CalendarDay(models.Model):
    """An exception to the default calendar (Mon–Fri minus the ``holidays`` package's dates).

    ``is_holiday=True`` adds a day off (e.g. a new cuti bersama); ``False`` makes a day a
    working day (e.g. a cuti bersama cancelled by decree).
    """

    class Source(models.TextChoices):
        PACKAGE = "package", _("dimuat dari daftar libur nasional")
        ADMIN = "admin", _("ditetapkan administrator")

    date = models.DateField(_("tanggal"), unique=True)
    is_holiday = models.BooleanField(_("hari libur"), default=True)
    name = models.CharField(_("keterangan"), max_length=200)
    source = models.CharField(
        _("sumber"), max_length=10, choices=Source.choices, default=Source.ADMIN
    )

    class Meta:
        verbose_name = _("hari libur / hari kerja khusus")
        verbose_name_plural = _("kalender hari kerja")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        forget("sop:calendar-days")

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        forget("sop:calendar-days")
        return result
