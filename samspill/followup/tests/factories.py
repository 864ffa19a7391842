"""Factories for followup's tests. Opportunities, shifts and sign-ups are made with the ORM
directly, so a test controls every field (status, times) without the sign-up service."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from samspill.accounts.tests.factories import UserFactory
from samspill.followup.models import FollowUpStep, HoursEntry
from samspill.organisations.tests.factories import OrganisationFactory


def opportunity(organisation: Any, **fields: Any) -> Any:
    from samspill.volunteering.models import Opportunity

    defaults: dict[str, Any] = {
        "title": "Leksehjelp",
        "description": "Hjelp med lekser.",
        "status": "published",
        "municipality": organisation.home_municipality,
    }
    return Opportunity.objects.create(organisation=organisation, **(defaults | fields))


def shift(opp: Any, starts_at: datetime | None = None, hours: float = 2, **fields: Any) -> Any:
    from samspill.volunteering.models import Shift

    starts_at = starts_at or timezone.now().replace(microsecond=0) + timedelta(days=3)
    return Shift.objects.create(
        opportunity=opp, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), capacity=10, **fields
    )


def signup(opp: Any, user: Any, shift: Any = None, status: str = "confirmed", **fields: Any) -> Any:
    from samspill.volunteering.models import SignUp

    created_at = fields.pop("created_at", None)
    row = SignUp.objects.create(opportunity=opp, shift=shift, user=user, status=status, **fields)
    if created_at is not None:
        SignUp.objects.filter(pk=row.pk).update(created_at=created_at)
        row.created_at = created_at
    return row


class HoursEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HoursEntry

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))
    hours = Decimal("2.5")
    description = "Kaffe og prat"


class FollowUpStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpStep

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Etter fire uker"
    days_after_start = 28
