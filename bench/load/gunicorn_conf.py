"""Gunicorn hooks for the load runs (``-c python:bench.load.gunicorn_conf``); fit for production too.

With ``--preload`` the master imports the WSGI application once, but Django imports the URL
configuration, and with it every view module (matplotlib, WeasyPrint, openpyxl …), only on a
worker's first request. On a busy machine that took longer than gunicorn's 30 s timeout: the
master killed the worker, started a new one that had to do the same, and no worker ever got
to answer (found by `make drill`, 2026-11-22). Importing the URL configuration in the master,
before it forks, lets every worker start warm.

The Redis client library is imported lazily as well, by Django's cache backend on a worker's
first cache call (the first request's session load): about 0.3 s of CPU per worker on the
2-core machine, more without bytecode files, which the sign-up burst counted against its
first requests (issue 7). It is imported here once, in the master. Only the module: the cache
objects and their connection pools are still made in each worker.
"""

from __future__ import annotations

import importlib
from typing import Any


def when_ready(server: Any) -> None:
    from django.conf import settings
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's urls and views
    if any("redis" in str(cache.get("BACKEND", "")).lower() for cache in settings.CACHES.values()):
        importlib.import_module("redis")  # what the cache backend imports on first use
    connections.close_all()  # never hand a database connection to the forked workers
