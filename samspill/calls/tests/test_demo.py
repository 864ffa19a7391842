import zoneinfo
from datetime import datetime

import pytest
from django.core.management import call_command

from samspill.calls.models import Call

pytestmark = pytest.mark.django_db


def test_demo_has_the_seed_call_open_and_the_2015_call_archived():
    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    current = Call.objects.get(slug="frivillighetsstrategi-helse-og-omsorg")
    assert current.status == Call.Status.OPEN
    assert current.audience == Call.Audience.ANYONE  # the demo shows the way in without an account
    assert [t.name for t in current.themes.all()] == [
        "rekruttering og oppfølging av frivillige og nye frivillighetsformer",
        "samspill og samarbeid mellom frivillig sektor og kommunen",
        "organisering og koordinering av frivillig innsats",
        "rammebetingelser som stimulerer til utvikling og innovasjon",
    ]
    assert current.introduction.startswith("Frivillighet Norge, KS og Helse- og omsorgsdepartementet har igangsatt")
    assert current.submissions.count() == 12
    assert len(set(current.submissions.values_list("status", flat=True))) >= 5
    assert current.submissions.values("municipality").distinct().count() >= 3

    original = Call.objects.get(slug="frivillighetsstrategi-2015")
    assert original.status == Call.Status.ARCHIVED
    assert original.closes_at == datetime(2015, 5, 8, 23, 59, tzinfo=zoneinfo.ZoneInfo("Europe/Oslo"))
    assert "innen 8. mai 2015" in original.introduction
