from datetime import date, timedelta

import factory
from django.utils import timezone

from samspill.organisations.tests.factories import OrganisationFactory
from samspill.partnerships.models import (
    ActionItem,
    Agreement,
    Contribution,
    GuidelinesVersion,
    Meeting,
    Partnership,
    PartnershipMember,
)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partnerskap for folkehelse {n}")
    slug = factory.Sequence(lambda n: f"partnerskap-{n}")
    purpose = factory.Faker("paragraph", locale="no_NO")
    lead = factory.SubFactory(OrganisationFactory)
    status = Partnership.Status.ACTIVE
    is_public = True

    @factory.post_generation
    def lead_member(obj, create, extracted, **kwargs):
        if create:
            PartnershipMember.objects.get_or_create(
                partnership=obj,
                organisation=obj.lead,
                defaults={"role": "lead", "status": "active", "joined_on": date(2026, 1, 1)},
            )


class PartnershipMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipMember

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = PartnershipMember.Role.VOLUNTARY
    status = PartnershipMember.Status.ACTIVE
    joined_on = date(2026, 1, 1)


class GuidelinesVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidelinesVersion

    partnership = factory.SubFactory(PartnershipFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Vi møtes fire ganger i året.\nAlle medlemmer kan foreslå saker."


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Avtale {n}")
    text = "Partene samarbeider om møteplasser for eldre."
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    agreement = factory.SubFactory(AgreementFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    year = 2026
    kind = Contribution.Kind.MONEY
    description = "Driftstilskudd"
    amount = 100000
    unit = "NOK"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    held_on = date(2026, 3, 1)
    place = "Rådhuset"
    decisions = "Vi lager retningslinjer."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    partnership = factory.LazyAttribute(lambda o: o.meeting.partnership)
    what = factory.Sequence(lambda n: f"Oppgave {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
