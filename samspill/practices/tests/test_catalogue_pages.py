"""The public catalogue (/eksempler/) and the practice page, as a visitor uses them."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from samspill.calls.tests.factories import SubmissionFactory
from samspill.places.models import Municipality
from samspill.practices.tests.factories import PracticeFactory
from samspill.taxonomy.models import FocusArea, TargetGroup, Theme

pytestmark = pytest.mark.django_db


def practice(*, themes=(), focus_areas=(), target_groups=(), municipalities=(), organisations=(), **kwargs):
    obj = PracticeFactory(**kwargs)
    obj.themes.set(Theme.objects.filter(slug__in=themes))
    obj.focus_areas.set(FocusArea.objects.filter(slug__in=focus_areas))
    obj.target_groups.set(TargetGroup.objects.filter(slug__in=target_groups))
    obj.municipalities.set(Municipality.objects.filter(number__in=municipalities))
    obj.organisations.set(organisations)
    return obj


@pytest.fixture
def corpus():
    return {
        "besok": practice(
            title="Besøksvenner for eldre",
            themes=["rekruttering-og-oppfolging"],
            target_groups=["eldre"],
            municipalities=["4601"],
        ),
        "ungdom": practice(
            title="Ungdomslos i Oslo",
            themes=["rekruttering-og-oppfolging", "samspill-og-samarbeid"],
            focus_areas=["barn-og-unge"],
            municipalities=["0301"],
            evidence_level="evaluated",
        ),
        "kor": practice(
            title="Syngende sykehjem",
            themes=["samspill-og-samarbeid"],
            target_groups=["eldre"],
            municipalities=["4601"],
            evidence_level="measured",
        ),
    }


def checkbox(html: str, param: str, value: str) -> str:
    match = re.search(rf'<input[^>]*name="{param}" value="{re.escape(value)}"[^>]*>', html)
    assert match, f"no checkbox {param}={value}"
    return match.group(0)


def facet_count(html: str, param: str, value: str) -> int:
    match = re.search(rf'for="f-{param}-{re.escape(value)}">[^<]*<span class="muted">\((\d+)\)', html)
    assert match, f"no count for {param}={value}"
    return int(match.group(1))


def test_catalogue_has_a_labelled_search_box_sort_and_feed_link(client, corpus):
    html = client.get("/eksempler/").content.decode()
    assert '<label class="ds-label" for="id_q">' in html
    assert 'type="search"' in html
    assert 'for="id_sort"' in html
    assert 'type="application/atom+xml"' in html and 'href="/eksempler/feed/"' in html
    # Without a query the newest come first and the select says so; relevance needs a query.
    assert re.search(r'<option value="" selected>Nyeste</option>', html)
    assert ">Relevans<" not in html
    with_query = client.get("/eksempler/", {"q": "eldre"}).content.decode()
    assert re.search(r'<option value="" selected>Relevans</option>', with_query)
    assert '<option value="newest">Nyeste</option>' in with_query
    for p in corpus.values():
        assert p.title in html
    assert "3 eksempler" in html


def test_facets_narrow_results_and_counts_update(client, corpus):
    html = client.get("/eksempler/").content.decode()
    assert facet_count(html, "tema", "rekruttering-og-oppfolging") == 2
    assert facet_count(html, "kommune", "4601") == 2

    html = client.get("/eksempler/", {"tema": "rekruttering-og-oppfolging", "kommune": "4601"}).content.decode()
    assert "Besøksvenner for eldre" in html
    assert "Ungdomslos i Oslo" not in html and "Syngende sykehjem" not in html
    assert "1 eksempel" in html
    assert "checked" in checkbox(html, "tema", "rekruttering-og-oppfolging")
    assert "checked" in checkbox(html, "kommune", "4601")
    # Counts follow the other facets: within Bergen, one practice per theme.
    assert facet_count(html, "tema", "samspill-og-samarbeid") == 1
    assert facet_count(html, "malgruppe", "eldre") == 1


def test_selected_facets_are_removable_chips(client, corpus):
    html = client.get("/eksempler/", {"tema": "samspill-og-samarbeid", "kunnskap": "measured"}).content.decode()
    assert "Syngende sykehjem" in html and "Ungdomslos" not in html
    chips = re.findall(r'<a class="ds-chip"[^>]*href="([^"]*)"', html)
    assert len(chips) == 2
    assert "Fjern" in html
    for href in chips:
        after = client.get("/eksempler/" + href.replace("&amp;", "&")).content.decode()
        assert "Syngende sykehjem" in after
    # Removing the evidence facet leaves the theme: two practices.
    removed = next(h for h in chips if "kunnskap" not in h).replace("&amp;", "&")
    assert "2 eksempler" in client.get("/eksempler/" + removed).content.decode()


def test_a_selected_theme_offers_its_feed(client, corpus):
    html = client.get("/eksempler/", {"tema": "samspill-og-samarbeid"}).content.decode()
    assert 'href="/eksempler/tema/samspill-og-samarbeid/feed/"' in html


def test_url_state_round_trips(client, corpus):
    params = {"q": "eldre", "tema": "rekruttering-og-oppfolging", "sort": "adopted"}
    html = client.get("/eksempler/", params).content.decode()
    assert 'value="eldre"' in html
    assert '<option value="adopted" selected>' in html
    assert "checked" in checkbox(html, "tema", "rekruttering-og-oppfolging")
    assert "Besøksvenner for eldre" in html


def test_pagination_keeps_the_search(client):
    for n in range(25):
        practice(title=f"Eksempel nummer {n}", themes=["rammebetingelser"])
    html = client.get("/eksempler/", {"tema": "rammebetingelser"}).content.decode()
    assert "25 eksempler" in html
    assert "?tema=rammebetingelser&amp;page=2" in html
    second = client.get("/eksempler/", {"tema": "rammebetingelser", "page": "2"}).content.decode()
    assert second.count('class="ds-card practice-card"') == 5


def test_htmx_gets_the_results_and_facets_only(client, corpus):
    response = client.get("/eksempler/", {"tema": "samspill-og-samarbeid"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'name="tema"' in html and "Syngende sykehjem" in html and "Besøksvenner" not in html
    assert "HX-Request" in response["Vary"]
    # The count is announced through the live region outside the replaced region.
    assert 'id="catalogue-status"' in html and 'hx-swap-oob="true"' in html and "2 eksempler funnet" in html
    # Going back in history without htmx's cache asks for the whole page.
    restore = client.get("/eksempler/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode()


def test_empty_results_suggest_removing_each_facet(client, corpus):
    html = client.get("/eksempler/", {"tema": "rammebetingelser", "kommune": "4601", "q": "xyzzy"}).content.decode()
    assert "Ingen eksempler passer søket ditt" in html
    assert "Sjekk stavemåten" in html
    links = re.findall(r'<a class="ds-link" href="(\?[^"]*)">Fjern ', html)
    assert len(links) == 2
    assert all("q=xyzzy" in link for link in links)


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999999999999"},
        {"sort": "drop table"},
        {"tema": "<script>"},
        {"kommune": "x" * 500},
        {"q": "x" * 5000},
        {"fylke": ["46", "46", "'"]},
        {"kunnskap": "nonsense"},
    ],
)
def test_invalid_parameters_never_fail(client, corpus, params):
    response = client.get("/eksempler/", params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</head>")[1].replace("<script src", "")


def test_the_municipality_facet_shows_ten_and_the_rest_behind_vis_alle(client):
    numbers = list(Municipality.objects.order_by("number").values_list("number", flat=True)[:14])
    for number in numbers:
        practice(municipalities=[number])
    html = client.get("/eksempler/").content.decode()
    fieldset = html.split('id="facet-kommune"')[1].split("</fieldset>")[0]
    visible, hidden = fieldset.split("<details", 1)
    assert visible.count('name="kommune"') == 10
    assert hidden.count('name="kommune"') == 4
    # A value from behind "Vis alle", once chosen, is shown with the first ten.
    chosen = re.findall(r'name="kommune" value="(\d+)"', hidden)[0]
    html = client.get("/eksempler/", {"kommune": chosen}).content.decode()
    fieldset = html.split('id="facet-kommune"')[1].split("</fieldset>")[0]
    visible, hidden = fieldset.split("<details", 1)
    assert visible.count('name="kommune"') == 11  # ten plus the chosen one
    assert f'value="{chosen}"' in visible
    assert "Vis alle" in hidden
    assert hidden.count('name="kommune"') == 3


@pytest.mark.parametrize("count", [3, 30])
def test_catalogue_queries_are_bounded(client, django_assert_max_num_queries, count):
    for n in range(count):
        practice(
            title=f"Eksempel {n}",
            themes=["samspill-og-samarbeid"],
            municipalities=["4601", "0301"],
            target_groups=["eldre"],
        )
    with django_assert_max_num_queries(20):
        assert client.get("/eksempler/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/eksempler/", {"q": "Eksempel", "tema": "samspill-og-samarbeid"}).status_code == 200


def test_practice_page_shows_everything_with_links(client, organisation):
    submission = SubmissionFactory(call__title="Gode eksempler 2026")
    p = practice(
        title="Besøksvenner for eldre",
        summary="Frivillige besøker eldre som bor alene.",
        what="Faste besøk hver uke.",
        lessons="Start i det små.",
        themes=["rekruttering-og-oppfolging"],
        focus_areas=["barn-og-unge"],
        target_groups=["eldre"],
        municipalities=["4601"],
        organisations=[organisation],
        contact_name="Kari Nordmann",
        contact_email="kari@example.no",
        evidence_level="evaluated",
        source="submission",
        source_submission=submission,
    )
    html = client.get(p.get_absolute_url()).content.decode()
    assert "<h1" in html and "Besøksvenner for eldre" in html
    assert "Faste besøk hver uke." in html and "Start i det små." in html
    assert ">Hva</h2>" in html and ">Erfaringer og læring</h2>" in html
    assert ">Ressurser</h2>" not in html  # empty sections are left out
    assert 'href="/kommuner/4601/"' in html
    assert 'href="/fylker/46/"' in html
    assert f'href="{organisation.get_absolute_url()}"' in html
    assert 'href="/eksempler/?tema=rekruttering-og-oppfolging"' in html
    assert "mailto:kari@example.no" in html
    assert "Evaluert" in html
    assert "Bygger på et innspill til" in html and "Gode eksempler 2026" in html
    assert f'href="{submission.call.get_absolute_url()}"' in html
    assert f"/bidrag/{submission.pk}/" not in html  # the submission itself is private
    assert f'href="/eksempler/{p.slug}/pdf/"' in html
    assert "Sist oppdatert" in html and "Publisert" in html


def test_related_practices_share_facets(client):
    p = practice(themes=["samspill-og-samarbeid"], target_groups=["eldre"], municipalities=["4601"])
    close = practice(title="Nær slektning", themes=["samspill-og-samarbeid"], target_groups=["eldre"])
    far = practice(title="Fjern slektning", municipalities=["4601"])
    practice(title="Ingen felles", themes=["rammebetingelser"])
    practice(title="Upublisert slektning", themes=["samspill-og-samarbeid"], status="draft")
    html = client.get(p.get_absolute_url()).content.decode()
    related = html.split('id="related-heading"')[1]
    assert related.index(close.title) < related.index(far.title)
    assert "Ingen felles" not in related and "Upublisert slektning" not in related


def test_practice_page_queries_are_bounded(client, django_assert_max_num_queries):
    p = practice(themes=["samspill-og-samarbeid"], municipalities=["4601", "0301"], target_groups=["eldre"])
    for _ in range(5):
        practice(themes=["samspill-og-samarbeid"])
    with django_assert_max_num_queries(12):
        assert client.get(p.get_absolute_url()).status_code == 200


def test_pdf_version(client):
    p = practice(title="Besøksvenner for eldre", what="Faste besøk.", municipalities=["4601"])
    response = client.get(f"/eksempler/{p.slug}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("status", ["draft", "proposed", "withdrawn"])
def test_unpublished_practices_are_404_for_the_public_and_non_editors(client, outsider, status):
    hidden = PracticeFactory(status=status, title="Hemmelig", published_at=None)
    for path in (hidden.get_absolute_url(), f"/eksempler/{hidden.slug}/pdf/"):
        assert client.get(path).status_code == 404
    client.force_login(outsider)
    for path in (hidden.get_absolute_url(), f"/eksempler/{hidden.slug}/pdf/"):
        assert client.get(path).status_code == 404
    assert "Ingen eksempler passer søket ditt" in client.get("/eksempler/", {"q": "Hemmelig"}).content.decode()


def test_the_proposer_sees_their_own_proposal(client, user):
    proposal = PracticeFactory(status="proposed", proposed_by=user, published_at=None)
    client.force_login(user)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "ikke publisert" in html


def test_main_menu_and_home_link_to_the_catalogue(client):
    html = client.get("/").content.decode()
    assert html.count('href="/eksempler/"') >= 2
    assert 'aria-current="page">Gode eksempler' in client.get("/eksempler/").content.decode()


def test_published_at_is_shown(client):
    p = practice(published_at=timezone.now())
    assert "Publisert" in client.get(p.get_absolute_url()).content.decode()


def test_every_demo_practice_renders(client):
    from django.core.management import call_command

    from samspill.practices.models import Practice

    call_command("load_demo_data", verbosity=0)
    html = client.get("/eksempler/").content.decode()
    assert "Vis alle" in html or 'id="facet-kommune"' in html
    for slug in Practice.objects.published().values_list("slug", flat=True):
        response = client.get(f"/eksempler/{slug}/")
        assert response.status_code == 200, slug
    from_call = Practice.objects.published().filter(source="submission").select_related("source_submission__call")[0]
    html = client.get(from_call.get_absolute_url()).content.decode()
    assert "Bygger på et innspill til" in html
    assert from_call.source_submission.call.get_absolute_url() in html
    assert client.get(f"/eksempler/{from_call.slug}/pdf/").content.startswith(b"%PDF")
    proposal = Practice.objects.get(status="proposed")
    assert client.get(proposal.get_absolute_url()).status_code == 404
