"""The accessibility sweep: axe-core and the Nu HTML Checker on every page a person can reach.

For each role of the demo (anonymous, volunteer, organisation admin, municipality coordinator,
county adviser, national editor) one logged-in browser crawls the site from the home page and
Min side, following same-origin links (GET only), plus every URL pattern without parameters
from the resolver. One example per URL pattern is enough: the URL resolver's route is the key,
so a new app's pages are audited as soon as a page links to them. Each page found is then
audited in Norwegian and in English: zero serious or critical axe violations, zero HTML errors,
nothing blocked by the Content-Security-Policy, no server error.

A route is left out only for a reason written below.
"""

from __future__ import annotations

import json
import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import RequestFactory
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from samspill.core.views import server_error
from tests.browser.conftest import (
    DEMO_COUNTY_ADVISER,
    DEMO_MUNICIPALITY_COORDINATOR,
    DEMO_NATIONAL_EDITOR,
    DEMO_ORGANISATION_ADMIN,
    DEMO_VOLUNTEER,
    log_in_demo,
    set_language,
)
from tests.browser.vnu_helpers import KnownError

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}
LANGUAGES = ("nb", "en")
# A bound on the crawl, so that CI time stays flat; one page per URL pattern comes well below it.
MAX_PAGES_PER_ROLE = 60
MAX_FETCHES_PER_ROLE = 150
EXAMPLES_PER_ROUTE = 2

# HTML errors left for now, each with its reason. Remove an entry when it is fixed.
KNOWN_HTML_ERRORS: list[KnownError] = []

# Paths that are not pages a person reads, with the reason.
SKIPPED_PREFIXES = (
    "/admin/",  # Django's own admin, for operators
    "/api/",  # the JSON API; its documentation page is added below
    "/i18n/",  # the language switch: a POST that redirects
    "/static/",  # files
    "/healthz",  # JSON for load balancers
    "/_feil/",  # development previews of the error pages, audited below as real errors
)
# Words in a route that mark a file, a feed or the end of the session, never a page.
SKIPPED_ROUTE_WORDS = ("logout", "last-ned", "download", "feed", "pdf", "ics", "csv", "xlsx")
EXTRA_PATHS = ["/api/v1/docs", "/finnes-ikke/"]


# What a page's main content is made of (elements, classes, attribute names; no text, no counts):
# two pages of one URL pattern with the same make-up come from the same template and branches.
# Pages audited by axe in this session, by (URL pattern, language, make-up): another role that sees
# the same main content of a page in the same language needs no second audit of it. The header
# and footer of each role are audited on that role's other pages.
AXE_AUDITED: set[tuple[str, str, int]] = set()


@dataclass(frozen=True)
class Role:
    name: str
    email: str | None
    # Pages no link leads to that this role should still see: an error page, someone else's form.
    extra_paths: tuple[str, ...] = ()


ROLES = [
    Role("anonymous", None),
    Role("volunteer", DEMO_VOLUNTEER),
    # Another organisation's edit form: the 403 page.
    Role("organisation admin", DEMO_ORGANISATION_ADMIN, ("/organisasjoner/besoksvenner-bergen/rediger/",)),
    Role("municipality coordinator", DEMO_MUNICIPALITY_COORDINATOR),
    Role("county adviser", DEMO_COUNTY_ADVISER),
    Role("national editor", DEMO_NATIONAL_EDITOR),
]


def _routes(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = (
                f"{namespace}:{pattern.namespace}"
                if namespace and pattern.namespace
                else (pattern.namespace or namespace)
            )
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            yield prefix + str(pattern.pattern), name


def parameterless_paths() -> list[str]:
    """Every path in the URL resolver that takes no parameters."""
    paths = set()
    for route, _name in _routes(get_resolver().url_patterns):
        route = route.lstrip("^").replace("$", "")
        if "<" in route or "(" in route:
            continue
        path = "/" + route
        if not skipped(path):
            paths.add(path)
    return sorted(paths)


def route_of(path: str) -> str:
    """The URL pattern of ``path``: the key that makes one example of each pattern enough."""
    try:
        return resolve(path).route
    except Resolver404:
        return path


def skipped(path: str) -> bool:
    if path.startswith(SKIPPED_PREFIXES):
        return True
    route = route_of(path)
    return any(word in route for word in SKIPPED_ROUTE_WORDS)


@dataclass
class Audit:
    """axe-core on a page; the problems found, one entry each, for the assertion message."""

    axe_source: str
    problems: list[str] = field(default_factory=list)
    audited: list[str] = field(default_factory=list)

    def audit(self, page, label: str) -> None:
        # page.evaluate runs outside the page's CSP, so axe needs no nonce.
        page.evaluate(self.axe_source + "\n;0")
        result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        self.audited.append(label)
        for violation in result["violations"]:
            if violation["impact"] not in FAILING_IMPACTS:
                continue
            nodes = "\n".join(
                f"      - {json.dumps(node['target'])}: {node.get('failureSummary', '').replace(chr(10), ' ')}\n"
                f"        {node['html'][:200]}"
                for node in violation["nodes"][:5]
            )
            self.problems.append(
                f"{label}\n    [{violation['impact']}] {violation['id']}: {violation['help']}\n"
                f"    {violation['helpUrl']}\n{nodes}"
            )

    def report(self) -> str:
        return (
            f"{len(self.problems)} serious or critical accessibility problem(s) on {len(self.audited)} pages:\n\n"
            + "\n\n".join(self.problems)
        )


class PageReader(HTMLParser):
    """The links of a page and the make-up of its main content (see AXE_AUDITED)."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[str] = []
        self.parts: set[str] = set()
        self.depth = 0  # inside <main> when > 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(urljoin(self.base, attributes["href"]).split("#")[0])
        if self.depth:
            classes = ".".join(sorted((attributes.get("class") or "").split()))
            self.parts.add(f"{tag}.{classes}[{','.join(sorted(n for n in attributes if n != 'class'))}]")
            if tag not in VOID_ELEMENTS:
                self.depth += 1
        elif tag == "main":
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in VOID_ELEMENTS:
            self.depth -= 1

    @property
    def make_up(self) -> int:
        return hash("|".join(sorted(self.parts)))


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Sweep:
    """One role's crawl in one browser context.

    Pages are fetched with the context's request client (its cookies, no rendering), which is
    quick; the browser renders a page only for axe, when its make-up is new. The HTML of every
    page goes to the Nu HTML Checker.
    """

    server: str
    who: str
    audit: Audit
    html_checker: object
    language: str = "nb"
    problems: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)
    csp_errors: list[str] = field(default_factory=list)
    checked: dict[tuple[str, str, int], str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=lambda: {"fetch": 0.0, "axe": 0.0})

    def watch(self, page) -> None:
        def on_console(message) -> None:
            if "Content Security Policy" in message.text:
                self.csp_errors.append(f"{page.url} ({self.who}, {self.language}): {message.text}")

        page.on("console", on_console)

    def visit(self, page, url: str) -> tuple[int, list[str]] | None:
        """Fetch ``url``, check it if its URL pattern is new; its status and links, or None for no page."""
        started = time.monotonic()
        response = page.request.get(url)
        self.seconds["fetch"] += time.monotonic() - started
        if response.status == 405:
            return None  # a POST-only action
        if response.status >= 500:
            self.problems.append(f"{url} ({self.who}, {self.language}): the server answered HTTP {response.status}")
        if "text/html" not in response.headers.get("content-type", ""):
            return None  # a file or a JSON answer, not a page
        final = response.url.split("#")[0]
        parts = urlsplit(final)
        html = response.body()
        reader = PageReader(final)
        reader.feed(html.decode("utf-8", "replace"))
        # Many pages send an anonymous visitor to the same login page; check it once.
        key = (route_of(parts.path), self.language, reader.make_up)
        if key not in self.checked:
            self.checked[key] = final
            where = f"{parts.path}{'?' + parts.query if parts.query else ''}"
            label = f"{where} ({self.who}, {self.language}, HTTP {response.status})"
            self.html_checker.submit(label, html)
            if key not in AXE_AUDITED:
                AXE_AUDITED.add(key)
                started = time.monotonic()
                page.goto(final)
                page.wait_for_load_state("load")
                self.audit.audit(page, label)
                self.seconds["axe"] += time.monotonic() - started
        return response.status, reader.links

    def crawl(self, page, start: list[str]) -> list[str]:
        """Breadth first from ``start``; the pages checked.

        A few examples of each URL pattern are fetched, since what a person may do differs
        by object (their own organisation's page has an edit link, another's has not); an
        example is checked when its make-up is new.
        """
        queue = deque(dict.fromkeys(start))
        queued = set(queue)
        per_route: dict[str, int] = {}
        fetched = 0
        while queue and len(self.checked) < MAX_PAGES_PER_ROLE and fetched < MAX_FETCHES_PER_ROLE:
            url = queue.popleft()
            fetched += 1
            visit = self.visit(page, url)
            if visit is None:
                continue
            status, links = visit
            if status >= 400 and url not in start:
                self.broken_links.append(f"{url} ({self.who}): HTTP {status}")
            for link in links:
                parts = urlsplit(link)
                if link in queued or f"{parts.scheme}://{parts.netloc}" != self.server or skipped(parts.path):
                    continue
                route = route_of(parts.path)
                if per_route.get(route, 0) >= EXAMPLES_PER_ROUTE:
                    continue
                per_route[route] = per_route.get(route, 0) + 1
                queued.add(link)
                queue.append(link)
        return list(self.checked.values())


@pytest.mark.parametrize("role", ROLES, ids=[role.name.replace(" ", "-") for role in ROLES])
def test_every_reachable_page_passes_axe_and_the_html_checker(
    role, server, demo_data, browser, axe_source, html_checker
):
    audit = Audit(axe_source)
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    sweep = Sweep(server, role.name, audit, html_checker)
    sweep.watch(page)
    start = ["/"]
    if role.email:
        log_in_demo(page, server, role.email)
        start.append("/min-side/")
    start += [path for path in parameterless_paths() if path not in start]
    start += [*EXTRA_PATHS, *role.extra_paths]

    checked = sweep.crawl(page, [server + path for path in start])
    for language in LANGUAGES[1:]:
        set_language(context, server, language)
        sweep.language = language
        for url in checked:
            sweep.visit(page, url)
    if role.email is None:
        # The standalone 500 page, as the handler renders it, with the site's styles.
        page.goto(server + "/")
        page.set_content(server_error(RequestFactory().get("/")).content.decode())
        audit.audit(page, f"500 page ({role.name})")
    context.close()

    html_errors = html_checker.problems(KNOWN_HTML_ERRORS)
    print(
        f"\n{role.name}: {len(checked)} pages checked in each of {len(LANGUAGES)}"
        f" languages, {len(audit.audited)} new to axe;",
        ", ".join(f"{what} {seconds:.1f} s" for what, seconds in sweep.seconds.items()),
    )
    print("\n".join(["Checked:", *(urlsplit(url).path for url in checked), "New to axe:", *audit.audited]))
    if sweep.broken_links:
        print("\n".join(["Links to an error page:", *sweep.broken_links]))
    assert len(checked) >= 15, checked
    assert not audit.problems, audit.report()
    assert not html_errors, f"{len(html_errors)} HTML error(s):\n\n" + "\n\n".join(html_errors)
    assert not sweep.csp_errors, "\n".join(sweep.csp_errors)
    assert not sweep.problems, "\n".join(sweep.problems)
