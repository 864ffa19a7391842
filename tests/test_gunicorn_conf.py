"""The gunicorn master warms what every worker would otherwise load on its first request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# Run in a fresh interpreter: the test process may have imported redis or the views already.
SCRIPT = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.db import connections
settings.CACHES = {"default": {"BACKEND": sys.argv[1], "LOCATION": "redis://127.0.0.1:1/0"}}
before = {"redis": "redis" in sys.modules, "views": "samspill.volunteering.api" in sys.modules}
from bench.load import gunicorn_conf
gunicorn_conf.when_ready(None)
after = {"redis": "redis" in sys.modules, "views": "samspill.volunteering.api" in sys.modules}
open_connections = [alias for alias in connections if connections[alias].connection is not None]
print(json.dumps({"before": before, "after": after, "open": open_connections}))
"""


def run_when_ready(backend: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, backend], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_master_imports_views_and_the_redis_client_before_forking_and_holds_no_connection():
    result = run_when_ready("samspill.core.cache.RedisCache")
    assert result["before"] == {"redis": False, "views": False}
    assert result["after"] == {"redis": True, "views": True}
    assert result["open"] == []  # no database connection is handed to the forked workers


def test_without_a_redis_cache_the_redis_client_is_not_imported():
    result = run_when_ready("django.core.cache.backends.locmem.LocMemCache")
    assert result["after"] == {"redis": False, "views": True}
