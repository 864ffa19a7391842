"""Hostile input through the main forms, typed in a real browser, then looked at where it is shown.

XSS payloads go into every free-text field of a form (``javascript:`` into URL fields); after
saving, every page that shows the text is opened: no dialog may fire, no injected element may
exist and the text must be shown as text. Unicode edge cases (right-to-left override,
zero-width characters, emoji with joiners, combining marks, 10 000 characters) go through the
same forms: stored and shown, or refused with a Norwegian message at the field; never a 500.

The new apps' forms are found by following links from their list pages, so a form that lands
later is tested without anyone listing it here.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.browser.conftest import (
    DEMO_MUNICIPALITY_COORDINATOR,
    DEMO_NATIONAL_EDITOR,
    DEMO_ORGANISATION_ADMIN,
    DEMO_VOLUNTEER,
    log_in_demo,
)
from tests.browser.test_accessibility import skipped

pytestmark = pytest.mark.browser

XSS = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>'</textarea><svg onload=alert(1)>"
XSS_URL = "javascript:alert(1)"
RTL = "Tekst \u202eslutt\u202c"
ZERO_WIDTH = "null\u200bbredde\u200dsnekker\ufeff"
EMOJI = "Familie 👩\u200d👩\u200d👧\u200d👦 flagg 🇳🇴 tommel 👍🏽"
COMBINING = "e\u0301\u0301\u0301 a\u030a Z\u0336\u0337"
UNICODE = f"{RTL} {ZERO_WIDTH} {EMOJI} {COMBINING}"
LONG = "Æøå " * 2500  # 10 000 characters

# The free-text fields of a form: text-like inputs and text areas a person can type into.
TEXT_FIELDS = "textarea, input:not([type]), input[type=text], input[type=search], input[type=url], input[type=tel]"
# Elements and attributes the payloads would create if they were not escaped.
INJECTED = "img[src=x], svg[onload], [onerror], [onload], a[href^='javascript:' i], iframe[src^='javascript:' i]"
ENGLISH_DEFAULTS = ("Ensure this", "Enter a valid", "This field", "Select a valid")


@dataclass
class FormResult:
    landed: str  # the page after a successful save
    refused: dict[str, str] = field(default_factory=dict)  # field name: the message at the field


@dataclass
class Watch:
    """Dialogs and server errors on a page, from the moment it is watched."""

    dialogs: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        def on_dialog(dialog) -> None:
            self.dialogs.append(f"{page.url}: {dialog.type} {dialog.message!r}")
            dialog.dismiss()

        def on_response(response) -> None:
            if response.status >= 500:
                self.server_errors.append(f"{response.request.method} {response.url}: HTTP {response.status}")

        page.on("dialog", on_dialog)
        page.on("response", on_response)


def assert_nothing_injected(page, watch: Watch) -> None:
    page.wait_for_load_state("load")
    where = urlsplit(page.url).path
    assert not watch.dialogs, watch.dialogs
    assert not watch.server_errors, watch.server_errors
    injected = page.locator(INJECTED)
    assert injected.count() == 0, f"{where}: injected {injected.first.evaluate('e => e.outerHTML')}"
    scripts = page.locator("script", has_text="alert(1)")
    assert scripts.count() == 0, f"{where}: an injected script element"


def fill_and_save(page, watch: Watch, url: str, value_for, submit: str | None = None) -> FormResult:
    """Type ``value_for(field)`` into each free-text field of the form at ``url`` and save.

    A field that refuses its value must say why at the field, in Norwegian; it then gets its
    old value back and the form is saved again, so the other fields' values are stored.
    """
    page.goto(url)
    forms = page.locator("main form[method=post]")
    if submit:
        form = forms.filter(has=page.get_by_role("button", name=submit, exact=True)).first
    else:  # the form with the most free-text fields, on a page with several
        counts = forms.evaluate_all(f"forms => forms.map(f => f.querySelectorAll({TEXT_FIELDS!r}).length)")
        assert counts and max(counts), f"{url}: no form with free-text fields"
        form = forms.nth(counts.index(max(counts)))
    originals: dict[str, tuple[str, str]] = {}  # field id: (name, value before)
    for element in form.locator(TEXT_FIELDS).all():
        if not element.is_visible() or not element.is_editable() or element.get_attribute("tabindex") == "-1":
            continue  # hidden, read-only, or a honeypot for bots
        value = value_for(element)
        if value is None or not element.get_attribute("id"):
            continue
        originals[element.get_attribute("id")] = (element.get_attribute("name"), element.input_value())
        element.fill(value)
    assert originals, f"{url}: no free-text field found"
    result = FormResult(landed="")
    for _attempt in range(3):
        with page.expect_navigation() as navigation:
            if submit:
                page.get_by_role("button", name=submit, exact=True).click()
            else:
                form.locator(":is(button, input)[type=submit]").first.click()
        page.wait_for_load_state("load")
        # A saved form redirects (POST, then GET); a refused one answers the POST with the form.
        answered_post = navigation.value is not None and navigation.value.request.method == "POST"
        assert_nothing_injected(page, watch)
        errors = {i: page.locator(f"[id='{i}_error']") for i in originals}
        errors = {i: message for i, message in errors.items() if message.count()}
        if not errors:
            messages = page.locator(".ds-error-summary, .ds-validation-message, [role=alert]").all_inner_texts()
            assert not answered_post, f"{url}: refused for a reason outside the fields typed into: {messages}"
            result.landed = page.url
            return result
        for i, message in errors.items():
            name, before = originals[i]
            text = message.inner_text().strip()
            assert text and not any(english in text for english in ENGLISH_DEFAULTS), (
                f"{url}: {name} refused without a Norwegian message at the field: {text!r}"
            )
            result.refused[name] = text
            page.locator(f"[id='{i}']").fill(before)
        if not submit:
            form = page.locator("main form[method=post]").filter(has=page.locator(f"[id='{next(iter(originals))}']"))
    raise AssertionError(f"{url}: still refused after three tries: {result.refused}")


def xss_value(element) -> str:
    return XSS_URL if element.get_attribute("type") == "url" else XSS


def unicode_value(element) -> str | None:
    if element.get_attribute("type") == "url":
        return None
    return LONG if element.evaluate("e => e.tagName") == "TEXTAREA" else UNICODE


def assert_shown_as_text(page, url: str, watch: Watch, expected: str) -> None:
    page.goto(url)
    assert_nothing_injected(page, watch)
    # As text on a page, or as the value of a field on a form.
    text = page.locator("body").inner_text()
    values = page.locator("input, textarea").evaluate_all("fields => fields.map(f => f.value)")
    assert expected in text or any(expected in value for value in values), (
        f"{urlsplit(url).path}: {expected!r} is not shown as text"
    )


def check_xss(page, watch, form_url, shown_on, submit=None) -> FormResult:
    result = fill_and_save(page, watch, form_url, xss_value, submit)
    for url in [result.landed, *shown_on]:
        assert_shown_as_text(page, url, watch, "<script>alert(1)</script>")
    return result


def check_unicode(page, watch, form_url, shown_on, submit=None) -> FormResult:
    result = fill_and_save(page, watch, form_url, unicode_value, submit)
    for url in [result.landed, *shown_on]:
        # The emoji with joiners is in every short field, stored or refused; when stored, shown whole.
        assert_shown_as_text(page, url, watch, "👩\u200d👩\u200d👧\u200d👦")
    return result


def logged_in(browser, server: str, email: str):
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    log_in_demo(page, server, email)
    return context, page, watch


def test_organisation_profile(server, demo_data, browser):
    slug = "frivilligsentralen-i-voss"
    context, page, watch = logged_in(browser, server, DEMO_ORGANISATION_ADMIN)
    form = f"{server}/organisasjoner/{slug}/rediger/"
    shown_on = [f"{server}/organisasjoner/{slug}/", f"{server}/kommuner/4621/"]

    result = check_xss(page, watch, form, shown_on)
    assert "website" in result.refused, "a javascript: address was accepted as the website"
    page.goto(f"{server}/organisasjoner/{slug}/historikk/")
    assert_nothing_injected(page, watch)

    check_unicode(page, watch, form, shown_on)
    context.close()


def test_submission_to_a_call(server, demo_data, browser):
    call = "frivillighetsstrategi-helse-og-omsorg"
    context, page, watch = logged_in(browser, server, DEMO_VOLUNTEER)
    mine = f"{server}/innspill/mine/"

    result = check_xss(page, watch, f"{server}/innspill/{call}/send-inn/", [mine], submit="Lagre utkast")
    pk = int(urlsplit(result.landed).path.split("/")[3])
    assert_shown_as_text(page, f"{server}/innspill/bidrag/{pk}/", watch, "<script>alert(1)</script>")
    # Send it, so that the editors see it too.
    page.get_by_role("link", name="Fortsett med utkastet").click()
    page.locator("input[name=themes]").first.check()
    page.locator("#id_municipality").select_option(label="Bergen")
    page.locator("input[name=consent][value=yes]").check()
    page.get_by_role("button", name="Gå videre til å se over og sende").click()
    assert_shown_as_text(page, page.url, watch, "<script>alert(1)</script>")
    page.get_by_role("button", name="Send inn", exact=True).click()
    page.wait_for_load_state("load")
    assert_nothing_injected(page, watch)

    editor, editor_page, editor_watch = logged_in(browser, server, DEMO_NATIONAL_EDITOR)
    for url in [f"{server}/innspill/behandling/{pk}/", f"{server}/innspill/{call}/behandling/"]:
        assert_shown_as_text(editor_page, url, editor_watch, "<script>alert(1)</script>")
    editor.close()

    check_unicode(page, watch, f"{server}/innspill/{call}/send-inn/", [mine], submit="Lagre utkast")
    context.close()


def test_practice_edit(server, demo_data, browser):
    slug = "samarbeidsavtale-mellom-kommunen-og-frivilligsentralen"
    context, page, watch = logged_in(browser, server, DEMO_NATIONAL_EDITOR)
    form = f"{server}/eksempler/{slug}/rediger/"
    shown_on = [f"{server}/eksempler/{slug}/"]

    check_xss(page, watch, form, shown_on)
    page.goto(f"{server}/eksempler/?q=alert")
    assert_nothing_injected(page, watch)

    check_unicode(page, watch, form, shown_on)
    context.close()


# --- The new apps: their edit forms, found by following links ------------------------------
NEW_APPS = ("partnerships", "measures", "volunteering", "followup")
# Edit forms left out of the check, each with its reason. Remove an entry when it is fixed.
KNOWN_PROBLEMS: dict[str, str] = {}
EXAMPLES_PER_ROUTE = 4
NEW_APP_STARTS = ("/partnerskap/", "/tiltak/", "/frivillig/", "/oppfolging/mine-timer/", "/min-side/")


class Links(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(urljoin(self.base, href).split("#")[0])


def edit_forms_of_new_apps(page, server: str, limit: int = 150) -> dict[str, str]:
    """The first edit form of each new app this person reaches: {URL name: URL}."""
    queue, found = deque(server + start for start in NEW_APP_STARTS), {}
    per_route: dict[str, int] = {}  # a few examples of each URL pattern: rights differ by object
    fetched = 0
    while queue and fetched < limit and len(found) < len(NEW_APPS):
        url = queue.popleft()
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        app = match.app_name
        if (app not in NEW_APPS and url != server + "/min-side/") or skipped(urlsplit(url).path):
            continue  # another app, a file or a feed
        if app in found or per_route.get(match.route, 0) >= EXAMPLES_PER_ROUTE:
            continue
        per_route[match.route] = per_route.get(match.route, 0) + 1
        response = page.request.get(url)
        fetched += 1
        if not response.ok or "text/html" not in response.headers.get("content-type", ""):
            continue
        html = response.text()
        if app in NEW_APPS and match.url_name.endswith("edit"):
            if re.search(r"<textarea|<input[^>]+type=\"(text|url)\"", html):
                found[app] = url
            continue
        links = Links(response.url)
        links.feed(html)
        queue.extend(link for link in dict.fromkeys(links.links) if link.startswith(server + "/"))
    return found


@pytest.mark.parametrize("email", [DEMO_MUNICIPALITY_COORDINATOR, DEMO_ORGANISATION_ADMIN])
def test_edit_forms_of_the_new_apps(server, demo_data, browser, email):
    context, page, watch = logged_in(browser, server, email)
    forms = edit_forms_of_new_apps(page, server)
    print(f"\n{email}: edit forms of the new apps found: {forms}")
    for app, reason in KNOWN_PROBLEMS.items():
        if forms.pop(app, None):
            print(f"not checked: {app}: {reason}")
    for form in forms.values():
        # The object's own page is one level up from its edit form (/tiltak/4/rediger/ → /tiltak/4/).
        parent = form.rstrip("/").rsplit("/", 1)[0] + "/"
        check_xss(page, watch, form, [parent])
        check_unicode(page, watch, form, [parent])
    context.close()
