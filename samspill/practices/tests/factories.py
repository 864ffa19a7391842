import factory
from django.utils import timezone

from samspill.practices.models import Practice


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    slug = factory.Sequence(lambda n: f"godt-eksempel-{n}")
    title = factory.Sequence(lambda n: f"Godt eksempel {n}")
    summary = "Et kort sammendrag."
    status = "published"
    published_at = factory.LazyFunction(timezone.now)
