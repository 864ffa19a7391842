from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from samspill.organisations.demo import DEMO_PEOPLE


class Command(BaseCommand):
    help = "Print the demo logins (only when DEBUG is on)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: demo logins are not printed.")
            return
        self.stdout.write("")
        self.stdout.write("Samspill kjører på http://127.0.0.1:8000/  (Ctrl+C stopper)")
        self.stdout.write(f"Demo-innlogginger, alle med passordet «{settings.DEMO_PASSWORD}»:")
        for person in DEMO_PEOPLE:
            line = f"  {person.email:<40} {person.description}"
            if person.totp_secret:
                pad = " " * 40
                line += f"\n  {pad} totrinnskode: make demo-code EMAIL={person.email}"
                line += f"\n  {pad} (hemmelighet for autentiseringsapp: {person.totp_secret})"
            self.stdout.write(line)
        self.stdout.write("")
