"""Make the load run's fixtures in the load database, with the ORM; prints them as JSON.

    python -m bench.load.setup --users 200 [--fresh]

Run by ``bench.load.common.prepare`` with the server's environment, after migrate,
load_reference_data and load_demo_data. It

- moves the deadline of the open demo call to one hour from now, so every submission of the
  run arrives in the call's last hour;
- gives an organisation that is not behind the call an API key (the submitting clients);
- makes ``--users`` volunteers with a logged-in session each (made here, not through the
  login form: 200 password checks would measure the password hasher, not the deadline);
- with ``--fresh``, removes what earlier runs submitted, so the database stays small;
- lists what the browsing users look at: practice slugs, facet values, search words.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import timedelta
from importlib import import_module

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from samspill.accounts.models import User  # noqa: E402
from samspill.calls.models import Call, Submission  # noqa: E402
from samspill.organisations.models import Organisation  # noqa: E402
from samspill.organisations.tokens import create_api_token  # noqa: E402
from samspill.places.models import County, Municipality  # noqa: E402
from samspill.practices.models import Practice  # noqa: E402
from samspill.taxonomy.models import TargetGroup, Theme  # noqa: E402

CALL_SLUG = "frivillighetsstrategi-helse-og-omsorg"
SUBMITTER_ORG = "frivilligsentralen-i-voss"
TITLE_PREFIX = "Lasttest"
USER_DOMAIN = "load.samspill.test"
SEARCH_WORDS = ["frivillig", "eldre", "ensomhet", "besøksvenn", "ungdom", "leksehjelp", "integrering", "turgruppe"]


def _sessions(users: list[User]) -> list[str]:
    """A logged-in session per user, as django.contrib.auth.login would leave it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for user in users:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def _volunteers(count: int) -> list[User]:
    emails = [f"frivillig-{i:04d}@{USER_DOMAIN}" for i in range(count)]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    users = []
    for i, email in enumerate(emails):
        user = existing.get(email)
        if user is None:
            user = User.objects.create_user(email=email, password=None, name=f"Lasttest Frivillig {i:04d}")
        users.append(user)
    return users


SIGNUP_PATH = "/api/v1/shifts/{id}/signups"


def _signup_path() -> str | None:
    """The API path that takes sign-ups, if the volunteering app has one yet."""
    from config.api import api

    operations = api.get_openapi_schema()["paths"].get(SIGNUP_PATH, {})
    return SIGNUP_PATH if "post" in operations else None


def _shifts() -> list[int]:
    """Upcoming shifts to sign up for, if the volunteering app has them (see bench/load/README)."""
    try:
        from samspill.volunteering.models import Shift
    except ImportError:
        return []
    upcoming = Shift.objects.filter(cancelled=False, starts_at__gt=timezone.now(), opportunity__status="published")
    return list(upcoming.values_list("pk", flat=True)[:50])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--fresh", action="store_true", help="remove what earlier runs submitted")
    args = parser.parse_args()

    now = timezone.now()
    with transaction.atomic():
        call = Call.objects.get(slug=CALL_SLUG)
        Call.objects.filter(pk=call.pk).update(closes_at=now + timedelta(hours=1))
        organisation = Organisation.objects.get(slug=SUBMITTER_ORG)
        removed = 0
        if args.fresh:
            removed, _ = Submission.objects.filter(title__startswith=TITLE_PREFIX).delete()
        _token, raw_key = create_api_token(organisation=organisation, name="Lasttest", created_by=None)
        users = _volunteers(args.users)
    sessions = _sessions(users)
    practices = list(Practice.objects.published().order_by("pk").values_list("slug", flat=True))
    fixtures = {
        "created_at": now.isoformat(),
        "call": {
            "slug": call.slug,
            "closes_at": (now + timedelta(hours=1)).isoformat(),
            "themes": list(call.themes.values_list("slug", flat=True)),
        },
        "api_key": raw_key,
        "organisation": organisation.slug,
        "municipalities": list(Municipality.objects.order_by("number").values_list("number", flat=True)),
        "counties": list(County.objects.order_by("number").values_list("number", flat=True)),
        "themes": list(Theme.objects.values_list("slug", flat=True)),
        "target_groups": list(TargetGroup.objects.values_list("slug", flat=True)),
        "practices": practices,
        "words": SEARCH_WORDS,
        "sessions": sessions,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "shifts": _shifts(),
        "signup_path": _signup_path(),
        "removed_earlier_submissions": removed,
        "title_prefix": TITLE_PREFIX,
    }
    print(json.dumps(fixtures))


if __name__ == "__main__":
    main()
