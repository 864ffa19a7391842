"""Scheduled jobs of core: put background tasks whose worker died back in the queue.

django-tasks-db marks a task RUNNING when a worker takes it and only ever picks up READY
tasks, so a task whose worker was killed (``kill -9``, a crash, a lost machine) would stay
RUNNING for good and its e-mail would never be sent. Every task in Samspill is idempotent
(a receipt records ``receipt_sent_at`` and is sent once), so running it again is safe.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from samspill.core.jobs import Job

# Longer than any task takes (the largest PDF booklet measured took about 200 s).
STUCK_AFTER = timedelta(minutes=30)
# A task that has killed its worker this many times is given up, not retried for ever.
MAX_ATTEMPTS = 3


def requeue_interrupted_tasks(now: datetime) -> int:
    requeued = 0
    stuck = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - STUCK_AFTER)
    for result in stuck.only("pk", "started_at", "worker_ids"):
        # Conditional on the row being unchanged, so a worker that finishes meanwhile wins.
        same = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at)
        if len(result.worker_ids) >= MAX_ATTEMPTS:
            same.update(status=TaskResultStatus.FAILED, finished_at=now)
        else:
            requeued += same.update(status=TaskResultStatus.READY, started_at=None)
    return requeued


def jobs() -> list[Job]:
    return [
        Job(
            "core.requeue_interrupted_tasks",
            requeue_interrupted_tasks,
            "Put background tasks whose worker died back in the queue (after 30 minutes; at most 3 attempts).",
        )
    ]
