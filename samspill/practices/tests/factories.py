import factory
from django.utils import timezone

from samspill.practices.models import Practice


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"godt-eksempel-{n}")
    title = factory.Sequence(lambda n: f"Godt eksempel {n}")
    summary = "Et kort sammendrag."
    status = "published"
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def search_index(obj, create, extracted, **kwargs):
        # The services index a practice after every write; practices made here are indexed too.
        if create:
            from samspill.practices.search import index_practice

            index_practice(obj)
