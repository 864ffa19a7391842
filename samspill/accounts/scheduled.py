"""Clean-ups on the clock for accounts (run by manage.py run_scheduled)."""

from __future__ import annotations

from samspill.accounts import devices
from samspill.core.jobs import Job


def jobs() -> list[Job]:
    return [
        Job(
            name="accounts.prune_devices",
            run=devices.prune,
            description="Forget devices whose sessions have expired (not seen for SESSION_COOKIE_AGE).",
        )
    ]
