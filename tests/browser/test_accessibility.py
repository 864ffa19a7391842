"""The accessibility sweep: axe-core and the Nu HTML Checker on every page a person can reach.

For each role of the demo (anonymous, volunteer, organisation admin, municipality coordinator,
county adviser, national editor) one logged-in browser context crawls the site from Min side and
the home page, following same-origin links and forms, plus every URL pattern without parameters
from the resolver. There is no page cap: the crawl ends when nothing is left to visit, and the
test asserts that every URL pattern (route) it discovered for the role was visited for that role
(the frontier is empty), and prints how many routes and pages were checked.

The URL resolver's route is the key. Examples of each route are fetched until they stop showing
anything new (what a person may do differs by object: their own organisation's page has an edit
link, another's has not; see EXAMPLES_PER_ROUTE). Each example whose main content has a new
make-up is checked, in Norwegian and in English: zero serious or critical axe violations, zero
HTML errors, nothing blocked by the Content-Security-Policy, no server error.

Forms count as ways to reach a route. A GET form's action is followed like a link; a POST
form's action is fetched with GET, which changes nothing here (views change data only on POST,
see ``require_http_methods``): it answers 405 for an action with no page of its own, or shows
its page (a confirmation, a form), which is then checked. A route is left out only for a reason
written below, and the left-out routes are printed with their reasons.
"""

from __future__ import annotations

import json
import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
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
# Examples of one route fetched at first. Each example that shows something new (a make-up of
# the main content not seen before, or a link to a route not seen before) earns its route one
# more, so a route whose pages differ by object for this role (the measure this admin may edit
# has forms, another has not) is explored until they stop differing. With one example per
# route, the organisation admin's first measures were other organisations', and eleven routes
# (the measure edit page and its forms) were never found; Role.must_reach guards against that.
EXAMPLES_PER_ROUTE = 2
# Not a cap on coverage: a guard against an endless URL space (a calendar's "next month" on
# a route with a new path each time). Reaching it fails the test instead of cutting the crawl.
FETCH_LIMIT_PER_ROLE = 2000

# HTML errors left for now, each with its reason. Remove an entry when it is fixed.
KNOWN_HTML_ERRORS: list[KnownError] = []

# Paths that are not pages a person reads, with the reason.
SKIPPED_PREFIXES = {
    "/admin/": "Django's own admin, for operators",
    "/api/": "the JSON API; its documentation page is added below",
    "/i18n/": "the language switch: a POST that redirects",
    "/static/": "files",
    "/healthz": "JSON for load balancers",
    "/_feil/": "development previews of the error pages, audited below as real errors",
}
# Words in a route that mark a file or a feed, never a page (and PDFs are slow to make).
FILE_WORDS = ("last-ned", "download", "feed", "pdf", "ics", "csv", "xlsx")
SKIPPED_ROUTE_WORDS = dict.fromkeys(FILE_WORDS, "a file or a feed, not a page")
if getattr(settings, "ACCOUNT_LOGOUT_ON_GET", False):
    # Only when a GET logs out; otherwise the logout page is a confirmation page like any other.
    SKIPPED_ROUTE_WORDS["logout"] = "a GET here ends the session and the rest of the crawl"
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
    # Routes the crawl must find and see as a page (HTTP 2xx) for this role: the deepest pages
    # of its work, so that a crawl that stops finding them (a link gone, an example rule too
    # narrow) fails instead of covering less without notice.
    must_reach: tuple[str, ...] = ()


ROLES = [
    Role(
        "anonymous",
        None,
        must_reach=(
            "/konto/signup/",
            "/innspill/<slug:slug>/send-inn-uten-konto/",
            "/tiltak/<int:pk>/indikatorer/<int:indicator_pk>/",
            "/partnerskap/<slug:slug>/",
        ),
    ),
    Role(
        "volunteer",
        DEMO_VOLUNTEER,
        must_reach=("/frivillig/mine/", "/oppfolging/mine-timer/", "/innspill/bidrag/<int:pk>/rediger/"),
    ),
    Role(
        "organisation admin",
        DEMO_ORGANISATION_ADMIN,
        # Another organisation's edit form: the 403 page.
        ("/organisasjoner/besoksvenner-bergen/rediger/",),
        must_reach=(
            "/organisasjoner/<slug:slug>/rediger/",
            "/tiltak/<int:pk>/rediger/",
            "/oppfolging/organisasjon/<slug:slug>/rapport/",
            "/frivillig/<int:pk>/administrer/",
        ),
    ),
    Role(
        "municipality coordinator",
        DEMO_MUNICIPALITY_COORDINATOR,
        must_reach=(
            "/eksempler/<slug:slug>/rediger/",
            "/partnerskap/<slug:slug>/moter/<int:pk>/",
            "/oppfolging/organisasjon/<slug:slug>/timer/",
        ),
    ),
    Role(
        "county adviser",
        DEMO_COUNTY_ADVISER,
        must_reach=(
            "/partnerskap/<slug:slug>/endre/",
            "/partnerskap/<slug:slug>/moter/<int:pk>/endre/",
            "/partnerskap/<slug:slug>/retningslinjer/ny/",
        ),
    ),
    Role(
        "national editor",
        DEMO_NATIONAL_EDITOR,
        must_reach=(
            "/eksempler/ny/",
            "/innspill/<slug:slug>/behandling/",
            "/innspill/behandling/<int:pk>/",
            "/innspill/<slug:slug>/eksport/",
        ),
    ),
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
        if not skip_reason(path):
            paths.add(path)
    return sorted(paths)


def route_of(path: str) -> str:
    """The URL pattern of ``path``: the key that makes a few examples of each pattern enough."""
    try:
        return "/" + resolve(path).route
    except Resolver404:
        return path


def skipped(path: str) -> bool:
    return skip_reason(path) is not None


def skip_reason(path: str) -> str | None:
    for prefix, reason in SKIPPED_PREFIXES.items():
        if path.startswith(prefix):
            return reason
    route = route_of(path)
    for word, reason in SKIPPED_ROUTE_WORDS.items():
        if word in route:
            return reason
    return None


def is_page(outcome: str) -> bool:
    """Whether a visit's outcome (see Sweep.visited) is the route's own page, not a redirect or an error."""
    return outcome.startswith("HTTP 2") and "shows" not in outcome


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
    """The links and form actions of a page and the make-up of its main content (see AXE_AUDITED)."""

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
        elif tag == "form":
            # A form without an action sends to the page itself; GET or POST, its route is
            # reached (see the module docstring). Its fields' values are left out.
            action = urljoin(self.base, attributes.get("action") or self.base)
            self.links.append(action.split("#")[0].split("?")[0])
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
    page with a new make-up goes to the Nu HTML Checker.
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
    # Coverage: every route discovered, with where it was found; every route visited, with what
    # it answered; every route left out, with the reason.
    discovered: dict[str, str] = field(default_factory=dict)
    visited: dict[str, set[str]] = field(default_factory=dict)
    left_out: dict[str, str] = field(default_factory=dict)
    fetched: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: {"fetch": 0.0, "axe": 0.0})

    def watch(self, page) -> None:
        def on_console(message) -> None:
            if "Content Security Policy" in message.text:
                self.csp_errors.append(f"{page.url} ({self.who}, {self.language}): {message.text}")

        page.on("console", on_console)

    def visit(self, page, url: str) -> tuple[int, list[str], bool] | None:
        """Fetch ``url``, check it if its make-up is new.

        Its status, its links and whether its make-up was new; or None for no page.
        """
        started = time.monotonic()
        response = page.request.get(url)
        self.fetched += 1
        self.seconds["fetch"] += time.monotonic() - started
        route = route_of(urlsplit(url).path)
        if response.status == 405:
            self.visited.setdefault(route, set()).add("an action (POST only)")
            return None
        if response.status >= 500:
            self.problems.append(f"{url} ({self.who}, {self.language}): the server answered HTTP {response.status}")
        if "text/html" not in response.headers.get("content-type", ""):
            self.visited.setdefault(route, set()).add(f"not a page ({response.headers.get('content-type', '?')})")
            return None
        final = response.url.split("#")[0]
        parts = urlsplit(final)
        final_route = route_of(parts.path)
        shows = f", shows {final_route}" if final_route != route else ""
        self.visited.setdefault(route, set()).add(f"HTTP {response.status}{shows}")
        self.visited.setdefault(final_route, set()).add(f"HTTP {response.status}")
        html = response.body()
        reader = PageReader(final)
        reader.feed(html.decode("utf-8", "replace"))
        # Many pages send an anonymous visitor to the same login page; check it once.
        key = (final_route, self.language, reader.make_up)
        new = key not in self.checked
        if new:
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
        return response.status, reader.links, new

    def crawl(self, page, start: list[str]) -> list[str]:
        """Breadth first from ``start`` until nothing is left to visit; the pages checked."""
        queue = deque(dict.fromkeys(start))
        seen = set(queue)
        for url in queue:
            self.discovered.setdefault(route_of(urlsplit(url).path), "(start)")
        allowed: dict[str, int] = {}  # examples of each route that may be queued
        queued: dict[str, int] = {}  # examples of each route queued so far
        waiting: dict[str, deque[str]] = {}  # further examples, queued when the route earns them

        def offer(route: str, link: str) -> None:
            if queued.get(route, 0) < allowed.setdefault(route, EXAMPLES_PER_ROUTE):
                queued[route] = queued.get(route, 0) + 1
                queue.append(link)
            else:
                waiting.setdefault(route, deque()).append(link)

        while queue:
            assert self.fetched < FETCH_LIMIT_PER_ROLE, (
                f"{self.who}: more than {FETCH_LIMIT_PER_ROLE} fetches; an endless URL space? Last: {queue[0]}"
            )
            url = queue.popleft()
            route = route_of(urlsplit(url).path)
            visit = self.visit(page, url)
            if visit is None:
                continue
            status, links, new_make_up = visit
            if status >= 400 and url not in start:
                self.broken_links.append(f"{url} ({self.who}): HTTP {status}")
            new_routes = False
            for link in links:
                parts = urlsplit(link)
                if link in seen or f"{parts.scheme}://{parts.netloc}" != self.server:
                    continue
                seen.add(link)
                link_route = route_of(parts.path)
                reason = skip_reason(parts.path)
                if reason:
                    self.left_out.setdefault(link_route, reason)
                    continue
                if link_route not in self.discovered:
                    self.discovered[link_route] = urlsplit(url).path
                    new_routes = True
                offer(link_route, link)
            if new_routes or new_make_up:
                # This example showed something new (its route differs by object for this role,
                # or it led to a route not seen before): another example of its route may too.
                allowed[route] = allowed.get(route, EXAMPLES_PER_ROUTE) + 1
                if waiting.get(route):
                    queued[route] = queued.get(route, 0) + 1
                    queue.append(waiting[route].popleft())
        return list(self.checked.values())

    def frontier(self) -> list[str]:
        """Routes discovered and not visited: empty when the crawl covered everything it found."""
        return sorted(set(self.discovered) - set(self.visited))


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
    start = []
    if role.email:
        log_in_demo(page, server, role.email)
        # The role's own things first, so that they are among the first examples of a route.
        start.append("/min-side/")
    start.append("/")
    start += [path for path in parameterless_paths() if path not in start]
    start += [*EXTRA_PATHS, *role.extra_paths]

    checked = sweep.crawl(page, [server + path for path in start])
    frontier = sweep.frontier()
    pages_nb = len(checked)
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
    pages = [route for route, outcomes in sweep.visited.items() if any(is_page(o) for o in outcomes)]
    print(
        f"\n{role.name}: {len(sweep.discovered)} routes discovered, {len(sweep.visited)} visited"
        f" ({len(pages)} showing a page with HTTP 2xx), {len(sweep.left_out)} left out;"
        f" {sweep.fetched} fetches; {pages_nb} distinct pages checked in each of {len(LANGUAGES)} languages"
        f" ({len(sweep.checked)} HTML checks), {len(audit.audited)} new to axe;",
        ", ".join(f"{what} {seconds:.1f} s" for what, seconds in sweep.seconds.items()),
    )
    print(
        "Routes visited:",
        *(f"  {route}: {'; '.join(sorted(o))}" for route, o in sorted(sweep.visited.items())),
        sep="\n",
    )
    print("Routes left out:", *(f"  {route}: {reason}" for route, reason in sorted(sweep.left_out.items())), sep="\n")
    print("\n".join(["New to axe:", *audit.audited]))
    if sweep.broken_links:
        print("\n".join(["Links to an error page:", *sweep.broken_links]))
    assert not frontier, f"{role.name}: routes discovered but never visited: " + ", ".join(
        f"{route} (found on {sweep.discovered[route]})" for route in frontier
    )
    not_reached = [
        route for route in role.must_reach if not any(is_page(outcome) for outcome in sweep.visited.get(route, ()))
    ]
    assert not not_reached, f"{role.name}: the crawl did not reach these pages: {not_reached}"
    assert not audit.problems, audit.report()
    assert not html_errors, f"{len(html_errors)} HTML error(s):\n\n" + "\n\n".join(html_errors)
    assert not sweep.csp_errors, "\n".join(sweep.csp_errors)
    assert not sweep.problems, "\n".join(sweep.problems)
