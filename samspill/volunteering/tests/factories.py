from datetime import timedelta

import factory
from django.utils import timezone

from samspill.organisations.tests.factories import OrganisationFactory
from samspill.volunteering.models import Opportunity, Shift, ShiftSeries, SignUp


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Leksehjelp {n}")
    description = factory.Faker("paragraph", locale="no_NO")
    form = Opportunity.Form.REGULAR
    status = Opportunity.Status.PUBLISHED
    municipality = factory.LazyAttribute(lambda o: o.organisation.home_municipality)


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    opportunity = factory.SubFactory(OpportunityFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + timedelta(hours=2))
    place = "Frivilligsentralen"
    capacity = 5


class ShiftSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftSeries

    opportunity = factory.SubFactory(OpportunityFactory)
    weekday = 2
    starts_at_time = factory.LazyFunction(lambda: timezone.datetime(2000, 1, 1, 17, 0).time())
    ends_at_time = factory.LazyFunction(lambda: timezone.datetime(2000, 1, 1, 19, 0).time())
    valid_from = factory.LazyFunction(lambda: timezone.localdate())
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=27))
    capacity = 4


def signup_for(shift, user, **kwargs) -> SignUp:
    """A sign-up through the service, as a person makes it."""
    from samspill.volunteering.services import sign_up

    return sign_up(shift=shift, user=user, **kwargs)
