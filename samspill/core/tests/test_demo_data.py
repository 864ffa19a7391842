import pytest
from django.core.management import call_command

from samspill.accounts.models import User
from samspill.organisations.models import Membership, Organisation
from samspill.places.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo_data", verbosity=0)


def test_demo_data_can_be_loaded_twice_without_duplicates(demo):
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("load_demo_data", verbosity=0)
    assert (Organisation.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    assert Organisation.objects.filter(kind__slug="nasjonal-aktor").count() == 3
    assert Organisation.objects.filter(kind__slug="frivilligsentral").exists()
    assert Organisation.objects.exclude(kind__slug__in=["kommune", "fylkeskommune", "nasjonal-aktor"]).count() == 6


def test_each_demo_person_holds_the_rights_of_their_role(demo):
    bergen = Municipality.objects.get(number="4601")
    coordinator = User.objects.get(email="koordinator@demo.samspill.no")
    adviser = User.objects.get(email="radgiver@demo.samspill.no")
    editor = User.objects.get(email="redaktor@demo.samspill.no")
    leader = User.objects.get(email="leder@demo.samspill.no")
    member = User.objects.get(email="medlem@demo.samspill.no")
    voss_centre = Organisation.objects.get(slug="frivilligsentralen-i-voss")

    assert coordinator.has_perm("places.coordinate_municipality", bergen)
    assert adviser.has_perm("places.advise_county", bergen.county)
    assert not coordinator.has_perm("places.coordinate_municipality", Municipality.objects.get(number="0301"))
    assert editor.has_perm("core.national_editor")
    assert leader.has_perm("organisations.change_organisation", voss_centre)
    assert not member.has_perm(
        "organisations.change_organisation", Organisation.objects.get(slug="besoksvenner-bergen")
    )
    assert User.objects.get(email="admin@demo.samspill.no").is_superuser


def test_demo_logins_are_printed_only_with_debug(demo, settings, capsys):
    settings.DEBUG = True
    call_command("print_demo_logins")
    assert "koordinator@demo.samspill.no" in capsys.readouterr().out
    settings.DEBUG = False
    call_command("print_demo_logins")
    assert "koordinator@demo.samspill.no" not in capsys.readouterr().out
