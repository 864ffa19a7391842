"""How an indicator is doing, in plain language: on track, behind, or no data.

The expected value at a period is read off the straight line from the baseline (value, date)
to the target (value, date); without a baseline the target itself is the bar. The latest
value is compared with it in the indicator's direction ("higher is better" or "lower is
better"). When two or more ended periods have passed since the latest value, the indicator
has "no data for N periods" whatever its last value was.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samspill.measures import periods

if TYPE_CHECKING:
    from samspill.measures.models import Indicator, Measurement

ON_TRACK, BEHIND, NO_DATA, NO_TARGET = "on_track", "behind", "no_data", "no_target"
STALE_AFTER = 2  # ended periods without a value before an indicator counts as "no data"

# Designsystemet colours for the status tag.
COLOURS = {ON_TRACK: "success", BEHIND: "danger", NO_DATA: "warning", NO_TARGET: "neutral"}


@dataclass(frozen=True)
class Status:
    code: str
    text: str
    latest: Decimal | None = None
    expected: Decimal | None = None
    missing_periods: int = 0

    @property
    def colour(self) -> str:
        return COLOURS[self.code]


def expected_value(indicator: Indicator, on: date) -> Decimal | None:
    """Where the indicator should be on ``on``: on the line from baseline to target, or the target."""
    target = indicator.target_value
    if target is None:
        return None
    base, base_date, target_date = indicator.baseline_value, indicator.baseline_date, indicator.target_date
    if base is None or base_date is None or target_date is None or target_date <= base_date:
        return target
    if on <= base_date:
        return base
    if on >= target_date:
        return target
    share = Decimal((on - base_date).days) / Decimal((target_date - base_date).days)
    return base + (target - base) * share


def _meets(indicator: Indicator, value: Decimal, bar: Decimal) -> bool:
    if indicator.direction == "lower":
        return value <= bar
    return value >= bar


def status(indicator: Indicator, measurements: Sequence[Measurement], today: date) -> Status:
    """The plain-language status of ``indicator`` given its measurements (any order) on ``today``."""
    ordered = sorted(measurements, key=lambda m: m.period_start)
    last_ended = periods.last_ended(indicator.period_type, today)
    if ordered:
        latest = ordered[-1]
        missing = periods.count_between(
            indicator.period_type, periods.next_start(indicator.period_type, latest.period_start), last_ended
        )
    else:
        latest = None
        first = periods.start_of(indicator.period_type, _reporting_from(indicator))
        missing = periods.count_between(indicator.period_type, first, last_ended)
    if missing >= STALE_AFTER:
        text = ngettext("ingen data for %(n)s periode", "ingen data for %(n)s perioder", missing) % {"n": missing}
        return Status(NO_DATA, text, latest.value if latest else None, missing_periods=missing)
    if latest is None:
        return Status(NO_DATA, _("ingen målinger ennå"), missing_periods=missing)
    period_end = periods.end_of(indicator.period_type, latest.period_start)
    bar = expected_value(indicator, period_end)
    if bar is None:
        return Status(NO_TARGET, _("uten målverdi"), latest.value, missing_periods=missing)
    if _meets(indicator, latest.value, bar):
        return Status(ON_TRACK, _("i rute"), latest.value, bar, missing)
    return Status(BEHIND, _("bak skjema"), latest.value, bar, missing)


def _reporting_from(indicator: Indicator) -> date:
    """When reporting starts: the measure's start date, else the day the indicator was made."""
    start = getattr(indicator.measure, "start_date", None)
    made = timezone.localdate(indicator.created_at) if indicator.created_at else timezone.localdate()
    return max(start, made) if start else made


def summary(statuses: Iterable[Status]) -> dict[str, int]:
    """How many indicators have each status, for a measure's one-line summary."""
    counts = {ON_TRACK: 0, BEHIND: 0, NO_DATA: 0, NO_TARGET: 0}
    for item in statuses:
        counts[item.code] += 1
    return counts
