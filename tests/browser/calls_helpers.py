"""Small helpers for walking the calls path in a browser: axe on each page, CSP errors, e-mails."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core import mail

from tests.browser.test_accessibility import Audit

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REFERENCE = re.compile(r"INN-\d{4}-\d{4}")


@dataclass
class PathAudit:
    """axe-core (the same rules and impacts as test_accessibility) on each page a person reaches.

    Pages are reached by clicking, so CSP violations are collected from the console of every
    page watched, not only from ``goto``.
    """

    axe_source: str
    audit: Audit = field(init=False)
    csp_errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.audit = Audit(self.axe_source)

    def watch(self, page) -> None:
        def on_console(message) -> None:
            if "Content Security Policy" in message.text:
                self.csp_errors.append(f"{page.url}: {message.text}")

        page.on("console", on_console)

    def check(self, page, label: str) -> None:
        page.wait_for_load_state("load")
        url = urlsplit(page.url)
        self.audit.audit(page, f"{label}: {url.path}{'?' + url.query if url.query else ''}")

    def assert_clean(self, *, at_least: int) -> None:
        assert len(self.audit.audited) >= at_least, self.audit.audited
        assert not self.audit.problems, self.audit.report()
        assert not self.csp_errors, "\n".join(self.csp_errors)


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def path_in(text: str, prefix: str) -> str:
    """The first path on this site in an e-mail body (links there use SITE_URL, not the test server)."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"\S*)", text)
    assert match, f"no link to {prefix} in:\n{text}"
    return match.group(1)


def focus_is_visible(page) -> bool:
    """The focused element shows a focus indicator (an outline or a ring) as :focus-visible."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || !el.matches(':focus-visible')) return false;
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            const ring = style.boxShadow && style.boxShadow !== 'none';
            return Boolean(outline || ring);
        }"""
    )
