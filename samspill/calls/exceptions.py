from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class CallClosed(ValidationError):
    """The call is not open: before it opens, after its deadline, or archived."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Fristen for denne innspillsrunden har gått ut, så skjemaet er stengt. "
                "Innspill kan ikke lenger sendes inn."
            ),
            code="closed",
        )


class CallNotYetOpen(CallClosed):
    """Before the call opens; a CallClosed, so callers that refuse both need not tell them apart."""

    def __init__(self) -> None:
        ValidationError.__init__(
            self, _("Innspillsrunden har ikke åpnet ennå. Du kan sende inn når den åpner."), code="not_open"
        )


class SubmissionIncomplete(ValidationError):
    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            _("Fyll ut dette før du sender inn: %(fields)s.") % {"fields": ", ".join(missing)}, code="incomplete"
        )
