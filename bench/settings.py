"""Settings for benchmark runs: the project's settings with a bench-only URLconf.

``bench.db.configure()`` sets the environment (database, DEBUG off, quiet logging) before
Django reads this module.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# 404s of pages that are not built yet are expected; keep server errors visible.
LOGGING["loggers"]["django.request"] = {"level": "ERROR"}  # type: ignore[index]  # noqa: F405
