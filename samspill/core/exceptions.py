"""Domain errors. They subclass Django's, so HTML views and the API map them without glue."""

from django.core.exceptions import PermissionDenied


class NoAccess(PermissionDenied):
    """The object exists and the user may see it, but not do this with it."""


class MfaRequired(PermissionDenied):
    """The right needs two-step login, which the user has not turned on yet."""
