from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from samspill.practices.tests.factories import PracticeFactory
from samspill.taxonomy.models import Theme

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 -- our own feed
    assert root.tag == f"{ATOM}feed"
    return [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]


def test_feed_of_new_practices_newest_first_published_only(client):
    now = timezone.now()
    PracticeFactory(title="Eldre", published_at=now - timedelta(days=2))
    PracticeFactory(title="Nyere", published_at=now - timedelta(days=1))
    PracticeFactory(title="Utkast", status="draft", published_at=None)
    titles = entries(client.get("/eksempler/feed/"))
    assert titles == ["Nyere", "Eldre"]


def test_feed_holds_at_most_fifty(client):
    PracticeFactory.create_batch(55)
    assert len(entries(client.get("/eksempler/feed/"))) == 50


def test_theme_feed(client):
    theme = Theme.objects.get(slug="rammebetingelser")
    inside = PracticeFactory(title="Med tema")
    inside.themes.add(theme)
    PracticeFactory(title="Uten tema")
    titles = entries(client.get(f"/eksempler/tema/{theme.slug}/feed/"))
    assert titles == ["Med tema"]
    assert client.get("/eksempler/tema/finnes-ikke/feed/").status_code == 404
