"""`make run`: the development server, a background task worker and the scheduled jobs, stopped together."""

from __future__ import annotations

import subprocess
import sys

SCHEDULE_EVERY_SECONDS = 300


def main(address: str) -> int:
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--reload"])
    # The scheduled jobs (reminders, escalations) every five minutes, as cron would in production.
    scheduler = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time\n"
            "while True:\n"
            "    subprocess.call([sys.executable, 'manage.py', 'run_scheduled'], stdout=subprocess.DEVNULL)\n"
            f"    time.sleep({SCHEDULE_EVERY_SECONDS})\n",
        ]
    )
    try:
        return subprocess.call([sys.executable, "manage.py", "runserver", address])  # noqa: S603
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (worker, scheduler):
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"))
