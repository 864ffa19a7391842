from datetime import date
from decimal import Decimal

import factory

from samspill.measures.models import Indicator, Measure, Measurement, MeasurePartner
from samspill.organisations.tests.factories import OrganisationFactory


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Tiltak {n}")
    description = "Et tiltak for å prøve ut noe nytt."
    owner = factory.SubFactory(OrganisationFactory)
    status = "active"
    start_date = date(2025, 1, 1)
    is_public = True


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasurePartner

    measure = factory.SubFactory(MeasureFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "Stiller med frivillige"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    measure = factory.SubFactory(MeasureFactory)
    kind = "how_much"
    name = factory.Sequence(lambda n: f"Antall besøk {n}")
    unit = "count"
    direction = "higher"
    period_type = "month"
    baseline_value = Decimal("10")
    baseline_date = date(2025, 1, 1)
    target_value = Decimal("40")
    target_date = date(2025, 12, 31)
    responsible = factory.LazyAttribute(lambda o: o.measure.owner)


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    period_start = date(2025, 1, 1)
    value = Decimal("10")
