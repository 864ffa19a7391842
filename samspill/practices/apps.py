from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "samspill.practices"
    label = "practices"
    verbose_name = _("Gode eksempler")

    def ready(self) -> None:
        from samspill.practices.search import facets

        facets.connect()
