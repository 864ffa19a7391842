from datetime import timedelta

import factory
from django.utils import timezone

from samspill.calls.models import Call, Submission
from samspill.taxonomy.models import Theme


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"innspillsrunde-{n}")
    title = factory.Sequence(lambda n: f"Innspillsrunde {n}")
    introduction = "Send oss gode eksempler."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    is_published = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create:
            self.themes.set(extracted if extracted is not None else Theme.objects.all())

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    call = factory.SubFactory(CallFactory)
    title = factory.Sequence(lambda n: f"Godt eksempel {n}")
    summary = "Et kort sammendrag."
    what = "Vi gjorde noe bra."
    contact_name = "Kari Nordmann"
    contact_email = "kari@example.no"
    consent_to_publish = True
