import pytest
from django.core.management import call_command

from samspill.practices.models import Practice
from samspill.practices.search import Filters, search

pytestmark = pytest.mark.django_db


def test_demo_has_about_30_published_practices_across_the_catalogue_and_loads_twice():
    call_command("load_demo_data", verbosity=0)
    first = set(Practice.objects.values_list("slug", flat=True))
    call_command("load_demo_data", verbosity=0)
    assert set(Practice.objects.values_list("slug", flat=True)) == first
    published = Practice.objects.published()
    assert 28 <= published.count() <= 35
    assert len(set(published.values_list("title", flat=True))) == published.count()
    assert published.values("themes").distinct().count() >= 4
    assert published.values("focus_areas").exclude(focus_areas=None).distinct().count() >= 6
    assert published.values("target_groups").exclude(target_groups=None).distinct().count() == 5
    assert published.values("municipalities__county").distinct().count() >= 6
    assert set(published.values_list("evidence_level", flat=True)) == {"described", "measured", "evaluated"}
    assert published.exclude(organisations=None).exists()
    # At least four came from accepted submissions whose submitters consented, and kept the link.
    from_calls = published.filter(source="submission")
    assert from_calls.count() >= 4
    for practice in from_calls:
        assert practice.source_submission.status == "accepted" and practice.source_submission.consent_to_publish
    assert Practice.objects.filter(status="proposed").count() == 1
    assert search(query="besøksvenn", filters=Filters()).total >= 2
