"""The catalogue of good practices in a real browser: search, narrow by two facets, open a
practice and go back with the search kept, with and without JavaScript. axe-core runs on the
catalogue (empty, with results, with facets, without results) and on the practice page.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from samspill.organisations.tests.factories import OrganisationFactory
from samspill.places.models import Municipality
from samspill.practices.tests.factories import PracticeFactory
from samspill.taxonomy.models import TargetGroup, Theme
from tests.browser.calls_helpers import PathAudit

pytestmark = pytest.mark.browser

RECRUITING = "rekruttering-og-oppfolging"
COOPERATION = "samspill-og-samarbeid"


def practice(title: str, *, themes: list[str], municipalities: list[str], **kwargs):
    obj = PracticeFactory(title=title, **kwargs)
    obj.themes.set(Theme.objects.filter(slug__in=themes))
    obj.municipalities.set(Municipality.objects.filter(number__in=municipalities))
    obj.target_groups.set(TargetGroup.objects.filter(slug="eldre"))
    return obj


def make_corpus() -> None:
    bergen = Municipality.objects.get(number="4601")
    organisation = OrganisationFactory(name="Frivilligsentralen i Bergen", home_municipality=bergen)
    besok = practice(
        "Besøksvenner for eldre",
        slug="besoksvenner-for-eldre",
        summary="Frivillige besøker eldre som bor alene, hver uke.",
        what="Faste besøk av frivillige.",
        themes=[RECRUITING],
        municipalities=["4601"],
        contact_name="Kari Nordmann",
    )
    besok.organisations.set([organisation])
    practice(
        "Eldretreff med frivillige i Oslo",
        summary="Frivillige arrangerer treff for eldre i bydelene.",
        themes=[RECRUITING],
        municipalities=["0301"],
    )
    practice(
        "Frivillige på sykehjemmet",
        summary="Frivillige og ansatte samarbeider om aktiviteter for eldre på sykehjem.",
        themes=[COOPERATION],
        municipalities=["4601"],
    )
    practice(
        "Leksehjelp for barn",
        summary="Pensjonister gir leksehjelp på biblioteket.",
        themes=[COOPERATION],
        municipalities=["0301"],
    )


def titles(page) -> list[str]:
    return page.locator(".practice-card h3").all_inner_texts()


def settle(page) -> None:
    """Wait until htmx has no request in flight (it marks the requesting form with .htmx-request)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_search_narrow_open_and_come_back(server, context, axe_source):
    audit = PathAudit(axe_source)
    page = context.new_page()
    audit.watch(page)

    page.goto(f"{server}/eksempler/")
    expect(page.get_by_text("Det er ingen publiserte eksempler ennå.")).to_be_visible()
    audit.check(page, "empty catalogue")

    make_corpus()
    page.goto(f"{server}/eksempler/")
    expect(page.locator("#results-heading")).to_have_text("4 eksempler")
    audit.check(page, "catalogue with results")

    # Search.
    page.get_by_label("Søk i gode eksempler").fill("frivillige eldre")
    page.get_by_role("button", name="Søk", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=frivillige"))
    settle(page)
    expect(page.get_by_label("Sorter etter")).to_have_value("")  # relevance, now that there is a query
    expect(page.get_by_role("link", name="Besøksvenner for eldre")).to_be_visible()
    assert "Leksehjelp for barn" not in titles(page)

    # Narrow by two facets: htmx replaces the results and facets and pushes the URL.
    page.locator(f"#f-tema-{RECRUITING}").check()
    expect(page).to_have_url(re.compile(rf"tema={RECRUITING}"))
    settle(page)
    expect(page.locator(f"#f-tema-{RECRUITING}")).to_be_checked()
    expect(page.get_by_role("link", name="Frivillige på sykehjemmet")).to_have_count(0)
    page.locator("#f-kommune-4601").check()
    expect(page).to_have_url(re.compile(r"kommune=4601"))
    settle(page)
    expect(page.locator("#results-heading")).to_have_text("1 eksempel")
    expect(page.locator("#catalogue-status")).to_have_text("1 eksempel funnet")  # read out by screen readers
    state = params(page)
    assert state["tema"] == [RECRUITING] and state["kommune"] == ["4601"] and state["q"] == ["frivillige eldre"]
    assert titles(page) == ["Besøksvenner for eldre"]
    # Focus stays on the box just checked after the update.
    assert page.evaluate("document.activeElement.id") == "f-kommune-4601"
    expect(page.locator(".ds-chip")).to_have_count(2)
    audit.check(page, "catalogue with facets")
    narrowed_url = page.url

    # Open the practice, then go back: the search, the boxes and the results are as they were.
    page.get_by_role("link", name="Besøksvenner for eldre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Besøksvenner for eldre")
    expect(page.get_by_role("link", name="Frivilligsentralen i Bergen")).to_be_visible()
    expect(page.get_by_role("link", name="Bergen", exact=True)).to_be_visible()
    audit.check(page, "practice page")

    page.go_back()
    expect(page).to_have_url(narrowed_url)
    expect(page.locator("#results-heading")).to_have_text("1 eksempel")
    expect(page.locator(f"#f-tema-{RECRUITING}")).to_be_checked()
    expect(page.locator("#f-kommune-4601")).to_be_checked()
    expect(page.get_by_label("Søk i gode eksempler")).to_have_value("frivillige eldre")
    assert titles(page) == ["Besøksvenner for eldre"]

    # Removing a facet by its chip widens the search again.
    page.locator(".ds-chip").filter(has_text="Bergen").click()
    expect(page.locator("#results-heading")).to_have_text("2 eksempler")
    assert "kommune" not in params(page)
    assert params(page)["tema"] == [RECRUITING]

    # No results: the page says so and offers to remove each facet.
    page.goto(f"{server}/eksempler/?q=xyzzy&tema={COOPERATION}&kommune=4601")
    expect(page.get_by_text("Ingen eksempler passer søket ditt")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Fjern [^:]+: "))).to_have_count(2)
    audit.check(page, "catalogue without results")

    audit.assert_clean(at_least=5)


def test_catalogue_works_without_javascript(server, browser):
    make_corpus()
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    page = context.new_page()
    try:
        page.goto(f"{server}/eksempler/")
        page.locator(f"#f-tema-{COOPERATION}").check()
        page.locator("#f-kommune-0301").check()
        page.get_by_role("button", name="Vis resultater").click()
        expect(page).to_have_url(re.compile(rf"tema={COOPERATION}"))
        assert params(page)["kommune"] == ["0301"]
        assert titles(page) == ["Leksehjelp for barn"]
        page.get_by_role("link", name="Leksehjelp for barn").click()
        page.go_back()
        expect(page.locator("#f-kommune-0301")).to_be_checked()
        assert titles(page) == ["Leksehjelp for barn"]
    finally:
        context.close()
