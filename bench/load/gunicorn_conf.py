"""Gunicorn hooks for the load runs (``-c python:bench.load.gunicorn_conf``); fit for production too.

With ``--preload`` the master imports the WSGI application once, but Django imports the URL
configuration, and with it every view module (matplotlib, WeasyPrint, openpyxl …), only on a
worker's first request. On a busy machine that took longer than gunicorn's 30 s timeout: the
master killed the worker, started a new one that had to do the same, and no worker ever got
to answer (found by `make drill`, 2026-11-22). Importing the URL configuration in the master,
before it forks, lets every worker start warm.
"""

from __future__ import annotations

from typing import Any


def when_ready(server: Any) -> None:
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's urls and views
    connections.close_all()  # never hand a database connection to the forked workers
