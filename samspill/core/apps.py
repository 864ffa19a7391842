from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "samspill.core"
    label = "core"

    def ready(self) -> None:
        # Registers every right with django-rules.
        from samspill.core import permissions  # noqa: F401
