from django.core.management.base import BaseCommand, CommandError

from workflow.models import CalendarDay
from workflow.workdays import package_holidays


class Command(BaseCommand):
    help = (
        "Load a year's national holidays and cuti bersama (holidays package, Indonesia) into "
        "the editable calendar table. Dates the administrator already set are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", type=int, help="e.g. 2026 2027")

    def handle(self, *args, years: list[int], **options):
        for year in years:
            if not 2000 <= year <= 2100:
                raise CommandError(f"Year {year} is out of range.")
            added = 0
            for day, name in sorted(package_holidays(year).items()):
                _row, created = CalendarDay.objects.get_or_create(
                    date=day,
                    defaults={
                        "is_holiday": True,
                        "name": name[:200],
                        "source": CalendarDay.Source.PACKAGE,
                    },
                )
                added += created
            self.stdout.write(
                f"{year}: {added} dates added, "
                f"{len(package_holidays(year)) - added} already present."
            )
