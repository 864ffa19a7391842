from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def test_run_scheduled_lists_jobs_and_refuses_unknown_ones():
    out = StringIO()
    call_command("run_scheduled", "--list", stdout=out)
    with pytest.raises(CommandError):
        call_command("run_scheduled", "--job", "no.such_job")


def test_run_scheduled_refuses_a_time_without_offset():
    with pytest.raises(CommandError):
        call_command("run_scheduled", "--now", "2026-12-01T08:00:00")


@pytest.mark.django_db
def test_a_task_whose_worker_died_runs_again_and_is_given_up_after_three_attempts():
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from samspill.core.scheduled import requeue_interrupted_tasks

    now = timezone.now()
    fields = {"task_path": "samspill.calls.tasks.send_receipt", "args_kwargs": {"args": [1], "kwargs": {}}}
    died = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, started_at=now - timedelta(hours=1), worker_ids=["w1"], **fields
    )
    busy = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, started_at=now - timedelta(minutes=5), worker_ids=["w2"], **fields
    )
    hopeless = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, started_at=now - timedelta(hours=1), worker_ids=["a", "b", "c"], **fields
    )

    assert requeue_interrupted_tasks(now) == 1
    assert requeue_interrupted_tasks(now) == 0  # idempotent

    died.refresh_from_db()
    busy.refresh_from_db()
    hopeless.refresh_from_db()
    assert died.status == TaskResultStatus.READY and died.started_at is None
    assert busy.status == TaskResultStatus.RUNNING
    assert hopeless.status == TaskResultStatus.FAILED
