"""The Nu HTML Checker (vnu.jar, from the npm package ``vnu-jar``) for the browser tests.

The checker runs as one local HTTP service for the whole test session (``java -cp vnu.jar
nu.validator.servlet.Main``): the JVM starts once, in the background while the browser works,
and each page is checked as soon as it is fetched, so each test can report its own pages.
``--errors-only`` of the command line is ``level=error`` here. Every checked page is also
saved under ``html_dir``, so an error can be looked at again with the command line checker:
``java -jar frontend/node_modules/vnu-jar/build/dist/vnu.jar --errors-only <file>``.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

VNU_JAR = Path(settings.BASE_DIR) / "frontend" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
STARTUP_SECONDS = 120


@dataclass(frozen=True)
class KnownError:
    """An HTML error not fixed yet, with the reason; matched on the page label and the message."""

    page: re.Pattern
    message: re.Pattern
    reason: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class HtmlChecker:
    html_dir: Path
    port: int = field(default_factory=_free_port)
    _process: subprocess.Popen | None = None
    _ready: bool = False
    _pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=2))
    _checked: dict[str, Future] = field(default_factory=dict)

    def start(self) -> None:
        java = shutil.which("java")
        assert java, "Java is missing: install default-jre-headless (the CI script does)"
        assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `make assets` (npm ci) first"
        self.html_dir.mkdir(parents=True, exist_ok=True)
        log = (self.html_dir / "vnu-service.log").open("wb")
        self._process = subprocess.Popen(
            [
                java,
                "-Xmx512m",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def _wait_ready(self) -> None:
        if self._ready:
            return
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert self._process and self._process.poll() is None, (
                f"the Nu HTML Checker stopped; see {self.html_dir / 'vnu-service.log'}"
            )
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5):
                    self._ready = True
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.25)
        raise AssertionError(f"the Nu HTML Checker did not start within {STARTUP_SECONDS} s")

    def _errors(self, html: bytes) -> list[dict]:
        self._wait_ready()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/?out=json&level=error",
            data=html,
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            messages = json.load(response)["messages"]
        return [m for m in messages if m.get("type") in {"error", "non-document-error"}]

    def submit(self, label: str, html: bytes) -> None:
        """Check ``html`` in the background; ``label`` (a page and who saw it) names it in reports."""
        name = re.sub(r"[^\w.-]+", "_", label).strip("_")[:120]
        digest = hashlib.sha1(html).hexdigest()[:8]  # noqa: S324 - a file name, not security
        path = self.html_dir / f"{name}-{digest}.html"
        path.write_bytes(html)
        self._checked[f"{label} [{path}]"] = self._pool.submit(self._errors, html)

    def problems(self, known: Sequence[KnownError] = ()) -> list[str]:
        """Wait for every page submitted since the last call; one entry per HTML error not ``known``."""
        found = []
        checked, self._checked = self._checked, {}
        for label, future in checked.items():
            for message in future.result():
                if any(k.page.search(label) and k.message.search(message["message"]) for k in known):
                    continue
                found.append(
                    f"{label}\n    line {message.get('lastLine', '?')}: {message['message']}\n"
                    f"    {message.get('extract', '').strip()!r}"
                )
        return found

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
