"""Exports run as background tasks: request one, and a worker builds the file with progress."""

from __future__ import annotations

import logging
import tempfile
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from samspill.calls import exports
from samspill.calls.models import Call, Export

logger = logging.getLogger(__name__)

# Progress is written every this many submissions: often enough for a smooth bar,
# rarely enough that 10 000 rows cost 200 small UPDATEs.
PROGRESS_EVERY = 50


@transaction.atomic
def request_export(*, call: Call, user: Any, format: str) -> Export:
    """Queue an export of ``call``; the task starts after the transaction commits."""
    export = Export.objects.create(call=call, requested_by=user, format=format)
    transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


class _Progress:
    """Writes ``Export.progress`` now and then, only forwards, and only while the export runs."""

    def __init__(self, export_id: int) -> None:
        self.export_id = export_id
        self.last = 0

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        # 99 at most: 100 means the file is saved, which only the final update says.
        percent = min(99, done * 100 // total)
        if percent > self.last and (done % PROGRESS_EVERY == 0 or done == total):
            Export.objects.filter(pk=self.export_id, status=Export.Status.RUNNING, progress__lt=percent).update(
                progress=percent
            )
            self.last = percent


@task()
def build_export(export_id: int) -> None:
    """Build the file. The conditional update claims the export, so a task run twice builds once."""
    claimed = Export.objects.filter(pk=export_id, status=Export.Status.QUEUED).update(
        status=Export.Status.RUNNING, progress=0, updated_at=timezone.now()
    )
    if not claimed:
        return
    export = Export.objects.select_related("call").get(pk=export_id)
    try:
        writer = exports.WRITERS[export.format]
        with tempfile.TemporaryFile(prefix="samspill-export-") as scratch:
            writer(export.call, scratch, _Progress(export_id))
            scratch.seek(0)
            export.file.save(f"export.{export.format}", File(scratch), save=False)
    except Exception as exc:
        logger.exception("Export %s of call %s failed", export_id, export.call_id)
        if export.file:
            export.file.delete(save=False)
        Export.objects.filter(pk=export_id).update(
            status=Export.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        return
    Export.objects.filter(pk=export_id, status=Export.Status.RUNNING).update(
        status=Export.Status.DONE,
        progress=100,
        file=export.file.name,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
