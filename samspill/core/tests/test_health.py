"""/helse/: the health answer for load balancers and monitoring."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

pytestmark = pytest.mark.django_db


def _task(status: str, *, enqueued_ago: timedelta, started_ago: timedelta | None = None) -> DBTaskResult:
    now = timezone.now()
    result = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="samspill.calls.tasks.send_receipt",
        backend_name="default",
        run_after=now,
        started_at=now - started_ago if started_ago else None,
    )
    DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=now - enqueued_ago)
    return result


def test_answers_ok_with_the_database_round_trip_and_is_never_cached(client):
    response = client.get(reverse("core:health"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["ms"] >= 0
    assert "no-store" in response.headers["Cache-Control"]
    assert "tasks" not in body  # the tests run tasks at once, without a queue


@pytest.mark.parametrize("person", ["outsider", "member", "owner"])
def test_says_the_same_to_every_person_and_nothing_private(client, request, person):
    client.force_login(request.getfixturevalue(person))

    response = client.get(reverse("core:health"))

    assert response.status_code == 200
    assert set(response.json()) == {"status", "database"}


def test_refuses_other_methods(client):
    assert client.post(reverse("core:health")).status_code == 405


def test_an_empty_queue_is_ok(client, settings):
    settings.TASKS = DB_TASKS

    body = client.get(reverse("core:health")).json()

    assert body["tasks"] == {"status": "ok", "ready": 0, "oldest_ready_seconds": 0, "stuck": 0}


def test_a_queue_waiting_long_is_behind_but_the_app_stays_in_service(client, settings):
    settings.TASKS = DB_TASKS
    _task("READY", enqueued_ago=timedelta(minutes=1))
    _task("READY", enqueued_ago=timedelta(minutes=6))
    _task("SUCCESSFUL", enqueued_ago=timedelta(hours=2))

    response = client.get(reverse("core:health"))

    assert response.status_code == 200
    tasks = response.json()["tasks"]
    assert tasks["status"] == "behind"
    assert tasks["ready"] == 2
    assert 355 <= tasks["oldest_ready_seconds"] <= 370


def test_a_task_left_running_by_a_killed_worker_shows_as_stuck(client, settings):
    settings.TASKS = DB_TASKS
    _task("RUNNING", enqueued_ago=timedelta(minutes=20), started_ago=timedelta(minutes=16))
    _task("RUNNING", enqueued_ago=timedelta(minutes=1), started_ago=timedelta(seconds=2))  # at work now

    tasks = client.get(reverse("core:health")).json()["tasks"]

    assert tasks["status"] == "stuck"
    assert tasks["stuck"] == 1
