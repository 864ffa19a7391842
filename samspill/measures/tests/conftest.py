from datetime import date
from decimal import Decimal

import pytest

from samspill.measures.tests.factories import IndicatorFactory, MeasureFactory, MeasurementFactory, PartnerFactory
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def coordinator(organisation):
    return MembershipFactory(organisation=organisation, role="coordinator").user


@pytest.fixture
def partner_organisation(db):
    return OrganisationFactory()


@pytest.fixture
def partner_member(partner_organisation):
    return MembershipFactory(organisation=partner_organisation, role="member").user


@pytest.fixture
def private_measure(organisation, partner_organisation, municipality):
    """A measure only the organisations involved see: ``organisation`` owns it, ``partner_organisation`` helps."""
    measure = MeasureFactory(owner=organisation, is_public=False, title="Besøksvenn i Bergen")
    measure.municipalities.set([municipality])
    PartnerFactory(measure=measure, organisation=partner_organisation)
    return measure


@pytest.fixture
def indicator(private_measure):
    indicator = IndicatorFactory(measure=private_measure, name="Besøk gjennomført")
    for month, value in ((1, 12), (2, 15), (3, 19)):
        MeasurementFactory(indicator=indicator, period_start=date(2025, month, 1), value=Decimal(value))
    return indicator


@pytest.fixture
def partner_indicator(private_measure, partner_organisation):
    """An indicator the partner organisation reports."""
    return IndicatorFactory(
        measure=private_measure,
        kind="better_off",
        name="Andel som føler seg mindre ensomme",
        unit="percent",
        is_ratio=True,
        numerator_label="Mindre ensomme",
        denominator_label="Svarte",
        responsible=partner_organisation,
    )
