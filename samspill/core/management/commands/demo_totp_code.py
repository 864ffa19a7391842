from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from samspill.organisations.demo import DEMO_PEOPLE


class Command(BaseCommand):
    help = "Print the current two-step login code of a demo person (DEBUG only), e.g. koordinator@demo.samspill.no."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

        if not settings.DEBUG:
            raise CommandError("Only available when DEBUG is on.")
        person = next((p for p in DEMO_PEOPLE if p.email == email and p.totp), None)
        if person is None:
            raise CommandError(f"{email} is not a demo person with two-step login.")
        counters = list(yield_hotp_counters_from_time())
        counter = counters[len(counters) // 2]  # the middle one is now; the others are the tolerance
        self.stdout.write(format_hotp_value(hotp_value(person.totp_secret, counter)))
