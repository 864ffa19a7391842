"""What measures store about a person: who entered a measurement and who made a measure.

The values belong to the measure (the organisations' reporting), so on deletion they are kept
and the link to the person is removed, also from the history.
"""

from __future__ import annotations

from typing import Any

from samspill.measures.models import Measure, Measurement


def export(user: Any) -> list[dict[str, Any]]:
    entered = Measurement.objects.filter(entered_by=user).select_related("indicator__measure").order_by("created_at")
    made = Measure.objects.filter(created_by=user).order_by("created_at")
    return [
        *(
            {
                "kind": "measurement",
                "measure": m.indicator.measure.title,
                "indicator": m.indicator.name,
                "period": m.period_label,
                "value": str(m.value),
                "note": m.note,
                "entered_at": m.updated_at.isoformat(),
            }
            for m in entered
        ),
        *({"kind": "measure", "title": m.title, "created_at": m.created_at.isoformat()} for m in made),
    ]


def forget(user: Any) -> None:
    Measurement.objects.filter(entered_by=user).update(entered_by=None)
    Measurement.history.filter(entered_by=user).update(entered_by=None)
    Measurement.history.filter(history_user=user).update(history_user=None)
    Measure.objects.filter(created_by=user).update(created_by=None)
    Measure.history.filter(created_by=user).update(created_by=None)
    Measure.history.filter(history_user=user).update(history_user=None)
