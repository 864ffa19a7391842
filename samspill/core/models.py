from django.db import models
from django.utils.translation import gettext_lazy as _


def labelled_texts(instance: models.Model, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """The named free-text fields of ``instance`` with their labels, in the given order."""
    return [
        (str(getattr(instance._meta.get_field(name), "verbose_name", name)), getattr(instance, name)) for name in names
    ]


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)

    class Meta:
        abstract = True
