"""Master data read from the cache is current as soon as a row is saved or deleted."""

import pytest
from django.urls import reverse

from requests_intake.models import PerangkatDaerah
from workflow.masterdata import active_unit_names, step_standards
from workflow.models import StandardUnit, StepStandard


@pytest.mark.django_db
class TestStepStandards:
    def test_read_once_then_from_the_cache(self, django_assert_num_queries):
        with django_assert_num_queries(1):
            first = step_standards()
        with django_assert_num_queries(0):
            assert step_standards().keys() == first.keys() == set(range(1, 13))

    def test_a_saved_standard_is_seen_at_once(self):
        assert step_standards()[2].amount != 7
        standard = StepStandard.objects.get(step=2)
        standard.amount, standard.unit = 7, StandardUnit.WORKING_DAYS
        standard.save()
        assert step_standards()[2].amount == 7

    def test_a_deleted_standard_is_gone_at_once(self):
        assert 12 in step_standards()
        StepStandard.objects.get(step=12).delete()
        assert 12 not in step_standards()

    def test_the_dashboard_shows_a_changed_standard(self, clients):
        url = reverse("workflow:dashboard")
        clients["kadis"].get(url)
        standard = StepStandard.objects.get(step=3)
        standard.amount, standard.unit = 9, StandardUnit.WORKING_DAYS
        standard.save()
        steps = clients["kadis"].get(url).context["data"].steps
        assert steps[2].standard == 9


@pytest.mark.django_db
class TestUnitNames:
    def test_renamed_and_deactivated_units_are_seen_at_once(self, units, clients):
        url = reverse("workflow:dashboard")
        assert ("Dinas Kesehatan") in clients["kadis"].get(url).content.decode()
        assert dict(active_unit_names())[units["dinkes"].pk] == "Dinas Kesehatan"
        units["dinkes"].name = "Dinas Kesehatan dan KB"
        units["dinkes"].save()
        assert "Dinas Kesehatan dan KB" in clients["kadis"].get(url).content.decode()
        units["disdik"].active = False
        units["disdik"].save()
        assert units["disdik"].pk not in dict(active_unit_names())
        assert "Dinas Pendidikan" not in clients["kadis"].get(url).content.decode()

    def test_a_new_unit_is_offered_at_once(self, units):
        active_unit_names()
        unit = PerangkatDaerah.objects.create(code="BAPPEDA", name="Bappeda", short_name="Bappeda")
        assert (unit.pk, "Bappeda") in active_unit_names()
