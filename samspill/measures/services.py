"""Writes on measures: create and edit, status, plan, indicators, measurements, adopt and publish.

Each function owns its transaction and records who made the change in the history.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.measures import periods
from samspill.measures.models import Indicator, Measure, Measurement
from samspill.organisations.models import Organisation
from samspill.practices.models import Practice
from samspill.practices.services import count_adoption

M2M = ("municipalities", "themes", "focus_areas", "target_groups")
LARGEST = Decimal(10) ** 11


class InvalidStatus(ValidationError):
    def __init__(self) -> None:
        super().__init__(_("Denne statusendringen er ikke mulig."), code="invalid_status")


class NotPublishable(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            _("Bare fullførte tiltak med målinger kan foreslås som gode eksempler, og bare én gang."),
            code="not_publishable",
        )


def _save(obj: Any, *, by: Any, fields: list[str] | None = None) -> None:
    obj._history_user = by
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=fields)


def _set_m2m(measure: Measure, values: Mapping[str, Any]) -> None:
    for name in M2M:
        if name in values and values[name] is not None:
            getattr(measure, name).set(list(values[name]))


@transaction.atomic
def create_measure(*, owner: Organisation, values: Mapping[str, Any], by: Any) -> Measure:
    scalars = {k: v for k, v in values.items() if k not in M2M and k != "owner"}
    measure = Measure(owner=owner, created_by=by, **scalars)
    measure.full_clean()
    _save(measure, by=by)
    _set_m2m(measure, values)
    return measure


@transaction.atomic
def update_measure(*, measure: Measure, values: Mapping[str, Any], by: Any) -> Measure:
    # Compare with what is stored: a ModelForm's validation has already put the new values
    # on ``measure`` itself, so comparing with it would find nothing changed.
    stored = Measure.objects.get(pk=measure.pk)
    changed = []
    for name, value in values.items():
        if name in M2M or name in ("owner", "status"):
            continue
        if getattr(stored, name) != value:
            setattr(measure, name, value)
            changed.append(name)
    measure.full_clean()
    _save(measure, by=by, fields=[*changed, "updated_at"])
    _set_m2m(measure, values)
    return measure


@transaction.atomic
def change_status(*, measure: Measure, status: str, by: Any, today: date | None = None) -> Measure:
    """Move the measure along idea → planned → active → completed / stopped, noting the dates."""
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    if status not in Measure.TRANSITIONS.get(locked.status, ()):
        raise InvalidStatus
    today = today or timezone.localdate()
    locked.status = status
    locked.status_changed_on = today
    fields = ["status", "status_changed_on", "updated_at"]
    if status == Measure.Status.ACTIVE and locked.start_date is None:
        locked.start_date = today
        fields.append("start_date")
    if status in (Measure.Status.COMPLETED, Measure.Status.STOPPED) and (
        locked.end_date is None or locked.end_date > today
    ):
        locked.end_date = today
        fields.append("end_date")
    _save(locked, by=by, fields=fields)
    return locked


@transaction.atomic
def save_indicator(*, indicator: Indicator, by: Any) -> Indicator:
    indicator.full_clean()
    _save(indicator, by=by)
    Measure.objects.filter(pk=indicator.measure_id).update(updated_at=timezone.now())
    return indicator


# --- Measurements ------------------------------------------------------------------


def check_period(indicator: Indicator, start: date, today: date) -> None:
    """A value can be given for a period that has started, not for one in the future."""
    if start > periods.start_of(indicator.period_type, today):
        raise ValidationError(_("Perioden har ikke begynt ennå."), code="future_period")


def measured_value(
    indicator: Indicator, value: Decimal | None, numerator: Decimal | None, denominator: Decimal | None
) -> Decimal:
    """The value to store; for a ratio indicator computed from numerator and denominator."""
    if indicator.is_ratio:
        if numerator is None or denominator is None:
            raise ValidationError(_("Fyll inn både teller og nevner."), code="ratio_parts")
        numerator, denominator = _bounded(numerator), _bounded(denominator)
        if denominator <= 0:
            raise ValidationError(_("Nevneren må være større enn 0."), code="denominator")
        if numerator < 0:
            raise ValidationError(_("Telleren kan ikke være negativ."), code="numerator")
        return _bounded(indicator.value_from(numerator, denominator))
    if value is None:
        raise ValidationError(_("Fyll inn en verdi."), code="value")
    if indicator.unit in ("count", "hours", "percent", "nok") and value < 0:
        raise ValidationError(_("Verdien kan ikke være negativ."), code="negative")
    return _bounded(value)


def _bounded(value: Decimal) -> Decimal:
    """Four decimals, and small enough for the column."""
    if not value.is_finite() or abs(value) >= LARGEST:
        raise ValidationError(_("Verdien er for stor."), code="value")
    return value.quantize(Decimal("0.0001"))


@transaction.atomic
def record_measurement(
    *,
    indicator: Indicator,
    period_start: date,
    value: Decimal | None = None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    note: str = "",
    by: Any = None,
    via: str = "web",
    today: date | None = None,
) -> tuple[Measurement, bool]:
    """Enter (or correct) the value of one period; returns the measurement and whether it is new.

    A correction overwrites the value; the history keeps what it was.
    """
    today = today or timezone.localdate()
    check_period(indicator, period_start, today)
    stored = measured_value(indicator, value, numerator, denominator)
    if indicator.is_ratio:
        numerator, denominator = _bounded(numerator), _bounded(denominator)  # type: ignore[arg-type]
    note = note.replace("\x00", "")
    existing = Measurement.objects.select_for_update().filter(indicator=indicator, period_start=period_start).first()
    if existing is None:
        measurement = Measurement(
            indicator=indicator,
            period_start=period_start,
            value=stored,
            numerator=numerator if indicator.is_ratio else None,
            denominator=denominator if indicator.is_ratio else None,
            note=note,
            entered_by=by,
            entered_via=via,
        )
        _save(measurement, by=by)
        created = True
    else:
        existing.value = stored
        existing.numerator = numerator if indicator.is_ratio else None
        existing.denominator = denominator if indicator.is_ratio else None
        existing.note = note
        existing.entered_by = by
        existing.entered_via = via
        _save(
            existing,
            by=by,
            fields=["value", "numerator", "denominator", "note", "entered_by", "entered_via", "updated_at"],
        )
        measurement, created = existing, False
    Measure.objects.filter(pk=indicator.measure_id).update(updated_at=timezone.now())
    return measurement, created


# --- From practice to measure and back -----------------------------------------------


@transaction.atomic
def adopt_practice(*, practice: Practice, owner: Organisation, by: Any) -> Measure:
    """A draft measure (status "idea", not public) in ``owner`` that builds on ``practice``."""
    measure = Measure(
        title=practice.title,
        description=practice.summary,
        owner=owner,
        adopted_practice=practice,
        status=Measure.Status.IDEA,
        is_public=False,
        created_by=by,
    )
    _save(measure, by=by)
    measure.themes.set(practice.themes.all())
    measure.focus_areas.set(practice.focus_areas.all())
    measure.target_groups.set(practice.target_groups.all())
    if owner.governs_municipality_id:
        measure.municipalities.set([owner.governs_municipality_id])
    elif owner.home_municipality_id:
        measure.municipalities.set([owner.home_municipality_id])
    count_adoption(practice)
    return measure


def _results_text(measure: Measure) -> str:
    from samspill.measures.charts import number

    lines = []
    for indicator in measure.indicators.all():
        values = list(indicator.measurements.all())
        if not values:
            continue
        first, last = values[0], values[-1]
        lines.append(
            f"{indicator.name} ({indicator.get_unit_display()}): {number(first.value)} ({first.period_label})"
            f" → {number(last.value)} ({last.period_label})"
            + (f"; {_('målverdi')} {number(indicator.target_value)}" if indicator.target_value is not None else "")
        )
    return "\n".join(lines)


@transaction.atomic
def propose_as_practice(*, measure: Measure, by: Any) -> Practice:
    """Send a completed measure with measurements to the catalogue editors as a practice ("measured").

    It becomes a proposal in the editors' queue; they approve and publish it as any other.
    """
    from samspill.practices import services as practice_services

    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    has_values = Measurement.objects.filter(indicator__measure=measure).exists()
    if measure.status != Measure.Status.COMPLETED or measure.published_as_id or not has_values:
        raise NotPublishable
    partners = [p.organisation for p in measure.partners.select_related("organisation")]
    plan = "\n".join(f"– {item.title}" for item in measure.plan_items.all())
    values = {
        "title": measure.title,
        "summary": (measure.description or measure.title)[:1000],
        "what": measure.description,
        "how": plan,
        "resources": measure.resources_text,
        "results": _results_text(measure),
        "themes": measure.themes.all(),
        "focus_areas": measure.focus_areas.all(),
        "target_groups": measure.target_groups.all(),
        "municipalities": measure.municipalities.all(),
        "organisations": [measure.owner, *partners],
        "evidence_level": Practice.Evidence.MEASURED,
        "contact_name": getattr(by, "get_full_name", lambda: "")() or "",
        "contact_email": getattr(by, "email", "") or "",
    }
    practice = practice_services.create_practice(
        values=values, by=by, source=Practice.Source.MEASURE, status=Practice.Status.PROPOSED
    )
    # The proposer follows the proposal on the editors' desk, as with services.propose.
    practice.proposed_by = by
    practice.proposed_for = measure.owner
    practice._history_user = by  # type: ignore[attr-defined]
    practice.save(update_fields=["proposed_by", "proposed_for", "updated_at"])
    measure.published_as = practice
    _save(measure, by=by, fields=["published_as", "updated_at"])
    return practice


def ensure_can_report(user: Any, indicator: Indicator) -> None:
    if not user.has_perm("measures.add_measurement", indicator):
        raise PermissionDenied
