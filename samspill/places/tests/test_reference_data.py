from io import StringIO

import pytest
from django.core.management import call_command

from samspill.places.models import County, Municipality, PostalCode
from samspill.taxonomy.models import FocusArea, OrganisationCategory, OrganisationKind, TargetGroup, Theme

pytestmark = pytest.mark.django_db


def test_it_loads_every_county_municipality_and_postal_code():
    assert County.objects.count() == 15
    assert Municipality.objects.count() == 357
    assert PostalCode.objects.count() == 5122


def test_vestland_has_43_municipalities():
    vestland = County.objects.get(number="46")
    assert vestland.name == "Vestland"
    assert vestland.municipalities.count() == 43


def test_it_keeps_sami_and_kven_official_names():
    kautokeino = Municipality.objects.get(number="5612")
    assert "Guovdageaidnu" in kautokeino.official_name
    assert Municipality.objects.matching("guovdageaidnu").get() == kautokeino


def test_svalbard_postal_codes_have_no_municipality():
    assert PostalCode.objects.get(code="9170").municipality is None
    assert PostalCode.objects.get(code="5003").municipality.name == "Bergen"


def test_running_it_again_changes_nothing_and_keeps_admin_edits():
    area = FocusArea.objects.get(slug="sunn-mat")
    area.name = "Sunn og god mat"
    area.save()
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "counties: 0 created, 0 updated" in out.getvalue()
    assert "postal codes: 0 created, 0 updated" in out.getvalue()
    assert FocusArea.objects.get(slug="sunn-mat").name == "Sunn og god mat"
    assert Municipality.objects.count() == 357


def test_seed_taxonomies_are_verbatim_from_the_source_documents():
    assert list(FocusArea.objects.values_list("name", flat=True)) == [
        "Barn og unge",
        "Integrering og inkludering",
        "Utjevne sosiale helseforskjeller",
        "Motvirke fattigdom",
        "Fysisk aktivitet",
        "Sunn mat",
        "Tobakk – og rus forebygging",
        "Grupper som faller utenfor",
    ]
    assert TargetGroup.objects.count() == 5
    assert TargetGroup.objects.filter(name="Mennesker med rus- og psykisk helseutfordringer").exists()
    assert Theme.objects.first().name == "rekruttering og oppfølging av frivillige og nye frivillighetsformer"
    assert OrganisationCategory.objects.count() == 46
    assert OrganisationCategory.objects.filter(level=1).count() == 14
    assert OrganisationKind.objects.count() == 6


def test_municipalities_sort_in_norwegian_alphabetical_order():
    names = list(Municipality.objects.alphabetical().values_list("name", flat=True))
    # Å comes last in Norwegian, after Ø; SQLite's byte order would put it before Æ.
    assert names[-1].startswith("Å")
    assert names.index("Øygarden") < names.index("Ål")
    assert names.index("Ørland") > names.index("Vågå")
