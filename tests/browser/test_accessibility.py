"""axe-core on every page there is, anonymous and with an organisation admin logged in.

The pages come from the URL resolver, so a page added later is audited without anyone
remembering to list it here. A route is left out only for a reason written below.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from playwright.sync_api import Error as PlaywrightError

from samspill.core.views import server_error
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory
from samspill.places.models import Municipality
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}

# Routes that are not pages a person reads, with the reason.
SKIPPED_PREFIXES = (
    "admin/",  # Django's own admin, for operators
    "i18n/",  # the language switch: a POST that redirects
    "healthz",  # JSON for load balancers
    "_feil/",  # development previews of the error pages, audited below as real errors
)
# Parameters that name a secret link or a single action, never a page to browse to.
SKIPPED_PARAMETERS = {"pk", "token", "key", "uidb36", "id"}


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


def page_paths(*, organisation_slug: str) -> list[str]:
    """Every browsable path in the URL resolver, with parameters filled in from test data."""
    paths = []
    for route, name in _routes(get_resolver().url_patterns):
        route = route.lstrip("^").replace("$", "")
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if route.startswith("api/") and name != "api-v1:openapi-view":
            continue  # the JSON API; its documentation page is audited
        parameters = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
        names = {a or b for a, b in parameters}
        if names & SKIPPED_PARAMETERS:
            continue
        values = {
            "slug": organisation_slug,
            "number": "46" if "county" in name else "4601",
        }
        if names - values.keys():
            raise AssertionError(f"Teach the accessibility test how to fill {names - values.keys()} in {route}")
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m, values=values: values[m.group(1)], route)
        paths.append("/" + path)
    return sorted(set(paths))


@dataclass
class Audit:
    axe_source: str
    problems: list[str] = field(default_factory=list)
    audited: list[str] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)

    def visit(self, page, url: str, who: str) -> None:
        csp_errors: list[str] = []

        def on_console(message):
            if "Content Security Policy" in message.text:
                csp_errors.append(message.text)

        page.on("console", on_console)
        try:
            response = page.goto(url)
        except PlaywrightError as exc:
            # Chromium shows its own error page for an error answer without a body, such as the
            # 405 of a POST-only action; ask again outside the page to learn the status.
            page.remove_listener("console", on_console)
            if "ERR_HTTP_RESPONSE_CODE_FAILURE" not in str(exc):
                raise
            page.wait_for_url("chrome-error://**")  # let the error page settle before the next visit
            page.wait_for_load_state("load")
            status = page.request.get(url, max_redirects=0).status
            if status != 405:
                self.problems.append(f"{url} ({who}): the server answered HTTP {status} without a page")
            return
        page.wait_for_load_state("load")
        page.remove_listener("console", on_console)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            return  # a download or a JSON answer, not a page
        if response.status == 405:
            return  # a POST-only action
        if response.status >= 500:
            self.problems.append(f"{url} ({who}): the server answered HTTP {response.status}")
        final = page.url.split("#")[0]
        # Many pages send an anonymous visitor to the same login page; audit it once.
        if (urlsplit(final).path, who) in self.seen:
            return
        self.seen.add((urlsplit(final).path, who))
        self.audit(page, f"{final} ({who}, HTTP {response.status})")
        for text in csp_errors:
            self.problems.append(f"{final} ({who}): blocked by the Content-Security-Policy: {text}")

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


def test_every_page_has_no_serious_accessibility_violations(server, browser, axe_source):
    bergen = Municipality.objects.get(number="4601")
    oslo = Municipality.objects.get(number="0301")
    membership = MembershipFactory(
        role="admin",
        organisation=OrganisationFactory(name="Frivilligsentralen i Bergen", home_municipality=bergen),
        user__email="admin@example.no",
    )
    organisation = membership.organisation
    MembershipFactory(organisation=organisation, role="member", user__email="medlem@example.no")
    someone_elses = OrganisationFactory(name="Røde Kors Oslo", home_municipality=oslo)
    paths = page_paths(organisation_slug=organisation.slug)
    audit = Audit(axe_source)

    anonymous = browser.new_context(locale="nb-NO")
    page = anonymous.new_page()
    for path in [*paths, "/finnes-ikke/"]:
        audit.visit(page, server + path, "anonymous")
    # The standalone 500 page, as the handler renders it, with the site's styles.
    page.goto(server + "/")
    page.set_content(server_error(RequestFactory().get("/")).content.decode())
    audit.audit(page, "500 page (anonymous)")
    anonymous.close()

    admin = browser.new_context(locale="nb-NO")
    page = admin.new_page()
    log_in(page, server, membership.user.email)
    assert "/min-side/" in page.url, f"logging in failed, landed on {page.url}"
    for path in [*paths, f"/organisasjoner/{someone_elses.slug}/rediger/", "/finnes-ikke/"]:
        audit.visit(page, server + path, "organisation admin")
    admin.close()

    print("\n".join(["Audited:", *audit.audited]))
    assert len(audit.audited) >= 20, audit.audited
    assert not audit.problems, audit.report()
