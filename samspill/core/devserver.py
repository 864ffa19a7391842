"""`make run`: the development server plus a background task worker, stopped together."""

from __future__ import annotations

import subprocess
import sys


def main(address: str) -> int:
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--reload"])
    try:
        return subprocess.call([sys.executable, "manage.py", "runserver", address])  # noqa: S603
    except KeyboardInterrupt:
        return 0
    finally:
        worker.terminate()
        worker.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"))
