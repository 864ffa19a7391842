"""50 people sign up for the same shift at the same moment, each on their own database connection.

On PostgreSQL every thread opens its own connection to the test database. SQLite's test
database is in memory, which threads cannot write to concurrently, so on SQLite the test
copies it (schema and rows) into a file with SQLite's backup API and points each thread's
connection at that file: the same settings (``BEGIN IMMEDIATE``, WAL, busy timeout) as the
running site.
"""

from __future__ import annotations

import copy
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections

from samspill.accounts.tests.factories import UserFactory
from samspill.volunteering.models import Shift, SignUp
from samspill.volunteering.services import cancel, sign_up
from samspill.volunteering.tests.factories import ShiftFactory

PEOPLE = 50
CAPACITY = 10

# Every app is available; listing them makes Django's flush after the test use TRUNCATE …
# CASCADE on PostgreSQL, which the raw-SQL search table of practices needs.
EVERY_APP = [config.name for config in apps.get_app_configs()]


@pytest.fixture(scope="module", autouse=True)
def _reference_data_afterwards(django_db_blocker) -> Iterator[None]:
    # Module scope: torn down after the transactional flush, so the tests that follow on
    # this worker find counties, municipalities and taxonomies again.
    yield
    with django_db_blocker.unblock(), open("/dev/null", "w") as devnull:
        call_command("load_reference_data", verbosity=0, stdout=devnull)


@pytest.fixture
def thread_database(tmp_path) -> Iterator[Callable[[], Any]]:
    """A context manager each thread enters to get its own connection to the test database."""
    file_settings: dict[str, Any] | None = None
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        file_settings = copy.deepcopy(connection.settings_dict)
        file_settings["NAME"] = str(tmp_path / "race.sqlite3")

    def copy_to_file() -> None:
        if file_settings is not None:
            connection.ensure_connection()
            target = sqlite3.connect(file_settings["NAME"])
            connection.connection.backup(target)
            target.close()

    @contextmanager
    def own_connection() -> Iterator[None]:
        if file_settings is not None:
            from django.db.backends.sqlite3.base import DatabaseWrapper

            connections["default"] = DatabaseWrapper(copy.deepcopy(file_settings), "default")
        try:
            yield
        finally:
            connections["default"].close()

    own_connection.copy_to_file = copy_to_file  # type: ignore[attr-defined]
    yield own_connection


def run_in_threads(own_connection, jobs: list[Callable[[], Any]]) -> list[Any]:
    results: list[Any] = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def worker(index: int) -> None:
        with own_connection():
            start.wait()
            try:
                results[index] = jobs[index]()
            except Exception as exc:  # the assertion below reports it
                results[index] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True, available_apps=EVERY_APP)
def test_fifty_parallel_signups_never_overbook_and_cancelling_promotes_the_first(thread_database):
    shift = ShiftFactory(capacity=CAPACITY)
    people = [UserFactory() for _ in range(PEOPLE)]
    thread_database.copy_to_file()

    def job(person_id: int) -> Callable[[], tuple[str, int | None, int]]:
        def go() -> tuple[str, int | None, int]:
            from samspill.accounts.models import User

            signup = sign_up(shift=Shift.objects.get(pk=shift.pk), user=User.objects.get(pk=person_id))
            return signup.status, signup.waitlist_position, signup.pk

        return go

    results = run_in_threads(thread_database, [job(p.pk) for p in people])

    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    statuses = [status for status, _, _ in results]
    assert statuses.count("confirmed") == CAPACITY
    assert statuses.count("waitlisted") == PEOPLE - CAPACITY
    positions = sorted(position for status, position, _ in results if status == "waitlisted")
    assert positions == list(range(1, PEOPLE - CAPACITY + 1))

    def check_and_cancel() -> dict[str, Any]:
        fresh = Shift.objects.get(pk=shift.pk)
        rows = list(SignUp.objects.filter(shift=fresh).order_by("created_at", "pk"))
        waitlisted = sorted((s for s in rows if s.status == "waitlisted"), key=lambda s: s.waitlist_position)
        # The line is in the order people came: a later sign-up never stands before an earlier one.
        in_order = [s.pk for s in waitlisted] == [s.pk for s in rows if s.status == "waitlisted"]
        first_in_line = waitlisted[0]
        a_confirmed = next(s for s in rows if s.status == "confirmed")
        cancel(a_confirmed, by=a_confirmed.user)
        first_in_line.refresh_from_db()
        after = Shift.objects.get(pk=shift.pk)
        return {
            "confirmed_count": fresh.confirmed_count,
            "in_order": in_order,
            "promoted_status": first_in_line.status,
            "count_after": after.confirmed_count,
            "positions_after": sorted(
                SignUp.objects.filter(shift=after, status="waitlisted").values_list("waitlist_position", flat=True)
            ),
            "promoted_email": first_in_line.user.email,
        }

    [outcome] = run_in_threads(thread_database, [check_and_cancel])
    assert not isinstance(outcome, Exception), outcome
    assert outcome["confirmed_count"] == CAPACITY
    assert outcome["in_order"]
    assert outcome["promoted_status"] == "confirmed"
    assert outcome["count_after"] == CAPACITY
    assert outcome["positions_after"] == list(range(1, PEOPLE - CAPACITY))
    assert [m.to for m in mail.outbox] == [[outcome["promoted_email"]]]
