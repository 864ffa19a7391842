from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "samspill.followup"
    label = "followup"
    verbose_name = _("Oppfølging av frivillige")

    def ready(self) -> None:
        from samspill.followup import receivers

        receivers.connect()
