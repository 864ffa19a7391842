"""The demo loads four measures with indicators of every kind, and personal data is exported and forgotten."""

import pytest
from django.core.management import call_command

from samspill.measures import personal_data
from samspill.measures.models import Measure, Measurement
from samspill.measures.progress import BEHIND

pytestmark = pytest.mark.django_db


def test_demo_measures(client):
    call_command("load_demo_data", verbosity=0)
    measures = Measure.objects.prefetch_related("indicators__measurements")
    assert measures.count() == 4
    from django.utils import timezone

    from samspill.measures.progress import status

    statuses = []
    for measure in measures:
        assert {i.kind for i in measure.indicators.all()} == {"how_much", "how_well", "better_off"}
        for indicator in measure.indicators.all():
            values = list(indicator.measurements.all())
            statuses.append(status(indicator, values, timezone.localdate()).code)
        assert 6 <= max(len(i.measurements.all()) for i in measure.indicators.all()) <= 12
        assert client.get(measure.get_absolute_url()).status_code == 200
    assert BEHIND in statuses
    assert Measure.objects.filter(adopted_practice__isnull=False).count() == 1
    assert Measure.objects.filter(partnership__isnull=False).count() == 4
    call_command("load_demo_data", verbosity=0)
    assert Measure.objects.count() == 4


def test_personal_data(member, indicator):
    Measurement.objects.filter(indicator=indicator).update(entered_by=member)
    exported = personal_data.export(member)
    assert len([row for row in exported if row["kind"] == "measurement"]) == 3
    personal_data.forget(member)
    assert not Measurement.objects.filter(entered_by=member).exists()
    assert Measurement.objects.filter(indicator=indicator).count() == 3
