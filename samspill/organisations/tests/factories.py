import factory

from samspill.accounts.tests.factories import UserFactory
from samspill.organisations.models import Membership, Organisation
from samspill.taxonomy.models import OrganisationKind


def kind(slug: str) -> OrganisationKind:
    return OrganisationKind.objects.get(slug=slug)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Frivillig lag {n}")
    slug = factory.Sequence(lambda n: f"frivillig-lag-{n}")
    kind = factory.LazyFunction(lambda: kind(OrganisationKind.VOLUNTARY))
    email = factory.Sequence(lambda n: f"post{n}@lag.example.no")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.refresh_search_fields()
        obj.save()
        return obj


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "member"
