"""The search engine behind the catalogue: the same behaviour on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from samspill.places.models import Municipality
from samspill.practices.models import Practice
from samspill.practices.search import Filters, index_practice, rebuild_index, remove_from_index, search
from samspill.practices.search.text import fold, query_terms
from samspill.practices.tests.factories import PracticeFactory
from samspill.taxonomy.models import TargetGroup, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def norwegian():
    # Labels are asserted in Norwegian; a request with the English cookie in an earlier test
    # of the same worker leaves English active (the middleware activates, nobody deactivates).
    with translation.override("nb"):
        yield


def slugs(query: str = "", filters: Filters | None = None, sort: str = "relevance") -> list[str]:
    return [p.slug for p in search(query=query, filters=filters or Filters(), sort=sort).results]


def test_only_published_practices_are_found():
    PracticeFactory(slug="publisert", title="Besøksvenn i Bergen")
    PracticeFactory(slug="utkast", title="Besøksvenn i Oslo", status="draft", published_at=None)
    PracticeFactory(slug="trukket", title="Besøksvenn i Bodø", status="withdrawn")
    assert slugs("besøksvenn") == ["publisert"]
    assert search(query="besøksvenn", filters=Filters()).total == 1


def test_the_index_follows_changes_to_a_practice():
    practice = PracticeFactory(slug="endres", title="Trygghetsalarm")
    assert slugs("trygghetsalarm") == ["endres"]
    practice.title = "Middagslevering"
    practice.save(update_fields=["title"])
    index_practice(practice)
    assert slugs("trygghetsalarm") == []
    assert slugs("middag") == ["endres"]
    practice.status = "withdrawn"
    practice.save(update_fields=["status"])
    index_practice(practice)
    assert slugs("middag") == []


def test_removed_and_rebuilt():
    practice = PracticeFactory(slug="fjernes", title="Pårørendeskole")
    remove_from_index(practice.pk)
    assert slugs("pårørendeskole") == []
    assert rebuild_index() == 1
    assert slugs("pårørendeskole") == ["fjernes"]
    remove_from_index(practice.pk)
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert slugs("pårørendeskole") == ["fjernes"]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("frivillige", "Frivillig innsats"),
        ("eldres", "Tilbud for eldre"),
        ("besøk", "Besøksvenn"),
        ("venn", "Besøksvenn"),
        ("helsetjenester", "Bedre helsetjenestene"),
        ("frivilig", "Frivillig innsats"),
        ("ensomhett", "Mindre ensomhet"),
        ("ål", "Ål kommune"),
        ("ÅL", "Ål kommune"),
        ("kafe", "Kafé for alle"),
    ],
)
def test_norwegian_word_forms_compounds_typos_and_case(query, title):
    PracticeFactory(slug="treff", title=title)
    PracticeFactory(slug="annet", title="Digital hjemmeoppfølging")
    assert slugs(query) == ["treff"]


def test_o_is_not_ø():
    assert fold("Øvre Ål") == "øvre ål"
    PracticeFactory(slug="bod", title="Bod for utstyr")
    PracticeFactory(slug="bodo", title="Bodø kommune")
    # ø is its own letter: the exact spelling ranks first; "o" typed for "ø" is a typo that
    # the trigram matching forgives.
    assert slugs("bodø")[0] == "bodo"
    assert slugs("bodo")[0] == "bodo"


def test_stop_words_are_ignored_and_every_word_counts_first():
    assert query_terms("besøksvenn for de eldre og Eldre") == ["besøksvenn", "eldre"]
    PracticeFactory(slug="begge", title="Besøksvenn for eldre")
    PracticeFactory(slug="ett", title="Besøksvenn for barn")
    assert slugs("besøksvenn for eldre") == ["begge"]
    # No practice has both words: those with one of them, best first.
    assert set(slugs("besøksvenn ungdom")) == {"begge", "ett"}


def test_title_ranks_above_summary_above_body():
    PracticeFactory(slug="tekst", title="Et tiltak", summary="Kort.", how="Vi bruker demens-kurs.")
    PracticeFactory(slug="sammendrag", title="Et tiltak", summary="Om demens i hverdagen.")
    PracticeFactory(slug="tittel", title="Demens i hverdagen", summary="Kort.")
    assert slugs("demens") == ["tittel", "sammendrag", "tekst"]


def test_sort_by_newest_and_most_adopted():
    now = timezone.now()
    PracticeFactory(slug="gammel", title="Turvenn", published_at=now - datetime.timedelta(days=30), adoption_count=9)
    PracticeFactory(slug="ny", title="Turvenn i byen", published_at=now, adoption_count=1)
    assert slugs("turvenn", sort="newest") == ["ny", "gammel"]
    assert slugs("turvenn", sort="adopted") == ["gammel", "ny"]
    assert slugs("", sort="relevance") == ["ny", "gammel"]  # no words: newest first
    assert slugs("turvenn", sort="nonsense") == ["ny", "gammel"]


def test_snippets_are_escaped_and_mark_the_matches():
    PracticeFactory(
        slug="snutt",
        title="Frivillighet",
        summary="Innledning. " + "Fyllord " * 60 + "<b>Frivillige</b> besøker eldre hjemme. " + "Mer tekst " * 40,
    )
    page = search(query="frivillig eldre", filters=Filters())
    html = page.snippets[page.results[0].pk]
    assert "<mark>Frivillige</mark>" in html
    assert "<mark>eldre</mark>" in html
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert html.startswith("… ") and html.endswith(" …")
    assert len(html.replace("<mark>", "").replace("</mark>", "")) < 260


def _practice(slug: str, *, themes=(), groups=(), municipalities=(), evidence="described", title="Besøksvenn"):
    practice = PracticeFactory(slug=slug, title=title, evidence_level=evidence)
    practice.themes.set(themes)
    practice.target_groups.set(groups)
    practice.municipalities.set(Municipality.objects.filter(number__in=municipalities))
    return practice


def test_facet_counts_follow_the_query_and_the_other_facets():
    theme_a, theme_b = Theme.objects.order_by("pk")[:2]
    group = TargetGroup.objects.order_by("pk").first()
    _practice("a", themes=[theme_a], groups=[group], municipalities=["4601"])
    _practice("b", themes=[theme_b], municipalities=["4601"])
    _practice("c", themes=[theme_a], municipalities=["0301"], evidence="evaluated")
    _practice("d", themes=[theme_a], title="Noe helt annet")

    page = search(query="besøksvenn", filters=Filters(themes=(theme_a.slug,)))
    assert {p.slug for p in page.results} == {"a", "c"}
    themes = {f.value: f for f in page.facets["theme"]}
    # A facet's own selection does not narrow its counts; the query does.
    assert themes[theme_a.slug].count == 2 and themes[theme_a.slug].selected
    assert themes[theme_b.slug].count == 1 and not themes[theme_b.slug].selected
    counties = {f.value: f.count for f in page.facets["county"]}
    assert counties == {"46": 1, "03": 1}
    assert {f.value: f.count for f in page.facets["evidence"]} == {"described": 1, "evaluated": 1}
    assert [f.label for f in page.facets["evidence"]] == ["beskrevet", "evaluert"]

    page = search(query="besøksvenn", filters=Filters(themes=(theme_a.slug,), counties=("46",)))
    assert [p.slug for p in page.results] == ["a"]
    assert {f.value: f.count for f in page.facets["theme"]} == {theme_a.slug: 1, theme_b.slug: 1}
    assert {f.value: f.count for f in page.facets["target_group"]} == {group.slug: 1}


def test_a_chosen_evidence_level_counts_like_any_other_facet():
    theme_a, theme_b = Theme.objects.order_by("pk")[:2]
    _practice("a", themes=[theme_a], municipalities=["4601"], evidence="measured")
    _practice("b", themes=[theme_b], municipalities=["4601"], evidence="measured")
    _practice("c", themes=[theme_a], municipalities=["0301"], evidence="evaluated")

    page = search(query="besøksvenn", filters=Filters(evidence=("measured",), themes=(theme_a.slug,)))
    assert [p.slug for p in page.results] == ["a"]
    assert page.total == 1
    # Evidence counts ignore the evidence choice but keep the theme; theme counts the reverse.
    assert {f.value: f.count for f in page.facets["evidence"]} == {"measured": 1, "evaluated": 1}
    assert {f.value: f.count for f in page.facets["theme"]} == {theme_a.slug: 1, theme_b.slug: 1}
    assert {f.value: f.count for f in page.facets["county"]} == {"46": 1}

    # Without words, the same counts over the whole catalogue.
    page = search(query="", filters=Filters(evidence=("measured",)))
    assert page.total == 2
    assert {f.value: f.count for f in page.facets["evidence"]} == {"measured": 2, "evaluated": 1}


def test_adopting_a_practice_moves_it_up_in_most_adopted():
    from samspill.practices.services import count_adoption

    now = timezone.now()
    first = PracticeFactory(slug="forst", title="Turvenn", published_at=now, adoption_count=1)
    PracticeFactory(slug="andre", title="Turvenn i byen", published_at=now, adoption_count=2)
    assert slugs("turvenn", sort="adopted") == ["andre", "forst"]
    count_adoption(first)
    count_adoption(first)
    first.refresh_from_db()
    assert first.adoption_count == 3
    assert slugs("turvenn", sort="adopted") == ["forst", "andre"]


def test_selected_values_stay_listed_at_zero_with_labels_in_the_active_language():
    theme = Theme.objects.exclude(name_en="").order_by("pk").first()
    _practice("a", municipalities=["4601"])
    page = search(query="besøksvenn", filters=Filters(themes=(theme.slug,), municipalities=("0301",)))
    assert page.total == 0
    assert [(f.value, f.label, f.count, f.selected) for f in page.facets["theme"]] == [
        (theme.slug, theme.name, 0, True)
    ]
    municipalities = {f.value: (f.count, f.selected) for f in page.facets["municipality"]}
    assert municipalities == {"0301": (0, True)}
    with translation.override("en"):
        page = search(query="", filters=Filters(themes=(theme.slug,)))
        assert page.facets["theme"][0].label == theme.name_en


def test_facet_values_with_the_same_count_sort_in_norwegian_order():
    _practice("a", municipalities=["4601", "0301", "1508"])  # Bergen, Oslo, Ålesund
    _practice("b", municipalities=["1804"])  # Bodø
    labels = [f.label for f in search(query="", filters=Filters()).facets["municipality"]]
    assert labels == ["Bergen", "Bodø", "Oslo", "Ålesund"]


@pytest.mark.parametrize("query", ["", "   ", "*", '"', "AND OR NOT", "x" * 5000, "(besøk", "ø:*|&!", "NEAR(a b)"])
def test_odd_queries_never_fail(query):
    PracticeFactory(title="Besøksvenn")
    page = search(query=query, filters=Filters(), page=99)
    assert page.page == page.pages


def test_paging():
    for i in range(25):
        PracticeFactory(slug=f"p{i}", title=f"Demens {i}")
    first = search(query="demens", filters=Filters(), page=1)
    second = search(query="demens", filters=Filters(), page=2)
    assert (first.total, first.pages, len(first.results), len(second.results)) == (25, 2, 20, 5)
    assert not {p.pk for p in first.results} & {p.pk for p in second.results}
    assert Practice.objects.count() == 25


def test_facets_follow_changes_to_links_organisations_and_places_without_reindexing():
    from samspill.organisations.tests.factories import OrganisationFactory, kind
    from samspill.places.models import County
    from samspill.taxonomy.models import OrganisationKind

    theme_a, theme_b = Theme.objects.order_by("pk")[:2]
    practice = _practice("a", themes=[theme_a], municipalities=["4601"])

    def counts(facet: str, filters: Filters | None = None) -> dict[str, int]:
        return {f.value: f.count for f in search(query="", filters=filters or Filters()).facets[facet]}

    assert counts("theme") == {theme_a.slug: 1}
    practice.themes.remove(theme_a)
    theme_b.practices.add(practice)  # from the other side
    assert counts("theme") == {theme_b.slug: 1}
    assert slugs("", Filters(themes=(theme_b.slug,))) == ["a"]
    theme_b.practices.clear()
    assert counts("theme") == {}

    organisation = OrganisationFactory(kind=kind(OrganisationKind.VOLUNTARY))
    practice.organisations.add(organisation)
    assert counts("organisation_kind") == {OrganisationKind.VOLUNTARY: 1}
    organisation.kind = kind("kommune")
    organisation.save()
    assert counts("organisation_kind") == {"kommune": 1}
    organisation.delete()
    assert counts("organisation_kind") == {}

    bergen = Municipality.objects.get(number="4601")
    bergen.county = County.objects.get(number="03")
    bergen.save()
    assert counts("county") == {"03": 1}
    assert slugs("", Filters(counties=("03",))) == ["a"]
    practice.municipalities.clear()
    assert counts("county") == {} and counts("municipality") == {}


def test_a_search_is_a_handful_of_statements_whatever_the_facets(django_assert_max_num_queries):
    theme = Theme.objects.order_by("pk").first()
    for i in range(5):
        _practice(f"p{i}", themes=[theme], municipalities=["4601"])
    filters = Filters(themes=(theme.slug,), counties=("46",), evidence=("described",))
    # Facet value ids, total and all facet counts, the page's ids, the practices (SQLite); on
    # PostgreSQL also the vocabulary, a check per word and the sizes of the sets counted over.
    with django_assert_max_num_queries(7):
        page = search(query="besøksvenn", filters=filters)
    assert page.total == 5
