from django.http import HttpRequest

from samspill.core.permissions import grants_waiting_for_mfa


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "mfa_needed": bool(user and user.is_authenticated and grants_waiting_for_mfa(user)),
    }
