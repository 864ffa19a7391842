import pytest

from samspill.volunteering.tests.factories import OpportunityFactory, ShiftFactory


@pytest.fixture
def coordinator(organisation):
    """Coordinator of ``organisation`` (a voluntary organisation: no two-step login needed)."""
    from samspill.organisations.tests.factories import MembershipFactory

    return MembershipFactory(organisation=organisation, role="coordinator").user


@pytest.fixture
def opportunity(organisation):
    return OpportunityFactory(organisation=organisation, title="Leksehjelp på biblioteket")


@pytest.fixture
def shift(opportunity):
    return ShiftFactory(opportunity=opportunity, capacity=2, place="Bergen bibliotek")


@pytest.fixture
def volunteer(db):
    from samspill.accounts.tests.factories import UserFactory

    return UserFactory(name="Vilde Frivillig")
