"""``/helse/``: the health answer for load balancers, supervisors and monitoring.

``/healthz`` (samspill.core.views) only says whether the database answers. ``/helse/`` says
the same with the status code (200 when the database answers, 503 when it does not, so a
load balancer can use either) and adds what an operator needs to see after a fault:

- ``database``: ``ok`` with the round trip in milliseconds, or ``unavailable``;
- ``tasks`` (database task queue only): tasks waiting, the age of the oldest, and tasks
  marked running for longer than ``STUCK_AFTER`` — a worker that was killed mid-task leaves
  its task marked running, and django-tasks-db does not run it again by itself.

The queue never turns the answer into 503: the web pages work while the queue is behind,
and taking app machines out of the load balancer would not help it. Monitoring should
alert on ``tasks.status`` instead. Two cheap queries; the answer is never cached.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

BEHIND_AFTER = timedelta(minutes=5)
STUCK_AFTER = timedelta(minutes=15)


def _database() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return {"status": "unavailable"}
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}


def _tasks(now) -> dict[str, Any] | None:
    from django.conf import settings

    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if backend != "django_tasks_db.DatabaseBackend":
        return None
    from django.db.models import Count, Min, Q
    from django_tasks_db.models import DBTaskResult

    try:
        figures = DBTaskResult.objects.aggregate(
            ready=Count("pk", filter=Q(status="READY")),
            oldest_ready=Min("enqueued_at", filter=Q(status="READY")),
            stuck=Count("pk", filter=Q(status="RUNNING", started_at__lt=now - STUCK_AFTER)),
        )
    except DatabaseError:
        return {"status": "unknown"}
    oldest = figures["oldest_ready"]
    waited = (now - oldest) if oldest else timedelta(0)
    if figures["stuck"]:
        status = "stuck"
    elif waited > BEHIND_AFTER:
        status = "behind"
    else:
        status = "ok"
    return {
        "status": status,
        "ready": figures["ready"],
        "oldest_ready_seconds": round(waited.total_seconds()),
        "stuck": figures["stuck"],
    }


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 with the checks when the database answers; 503 when it does not."""
    database = _database()
    body: dict[str, Any] = {"status": "ok" if database["status"] == "ok" else "unavailable", "database": database}
    if database["status"] == "ok":
        tasks = _tasks(timezone.now())
        if tasks is not None:
            body["tasks"] = tasks
    return JsonResponse(body, status=200 if database["status"] == "ok" else 503)
