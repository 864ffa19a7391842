from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from samspill.accounts import devices

    if request is not None:
        devices.record_login(request=request, user=user)


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from samspill.accounts import devices

    session = getattr(request, "session", None)
    if session is not None:
        devices.forget_session(session.session_key)


class AccountsConfig(AppConfig):
    name = "samspill.accounts"
    label = "accounts"
    verbose_name = _("Brukere")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        # Logging in and out happens inside Django and allauth; these signals are the only hook.
        user_logged_in.connect(_logged_in, dispatch_uid="samspill.accounts.devices.login")
        user_logged_out.connect(_logged_out, dispatch_uid="samspill.accounts.devices.logout")
