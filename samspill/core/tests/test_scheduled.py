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
