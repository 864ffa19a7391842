"""Fixtures shared by every test: reference data once per database, people and organisations.

The names follow the habit in STYLE.md: ``owner`` administers ``organisation``, ``member``
belongs to it, and ``outsider`` is logged in but belongs to another organisation.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Counties, municipalities, postal codes and taxonomies are loaded once per test
    # database; each test then runs inside a transaction that is rolled back.
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache (rate limits, cached counts) outlives a test's rolled-back transaction."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _norwegian_until_a_request_says_otherwise():
    """Each test starts in Norwegian bokmål.

    A request activates its language in the thread and nothing deactivates it afterwards,
    so without this a test that switched to English would leave English behind for the
    next test on the same worker.
    """
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


@pytest.fixture
def municipality(db):
    from samspill.places.models import Municipality

    return Municipality.objects.get(number="4601")  # Bergen


@pytest.fixture
def other_municipality(db):
    from samspill.places.models import Municipality

    return Municipality.objects.get(number="0301")  # Oslo


@pytest.fixture
def organisation(municipality):
    from samspill.organisations.tests.factories import OrganisationFactory

    return OrganisationFactory(home_municipality=municipality)


@pytest.fixture
def other_organisation(other_municipality):
    from samspill.organisations.tests.factories import OrganisationFactory

    return OrganisationFactory(home_municipality=other_municipality)


@pytest.fixture
def owner(organisation):
    from samspill.organisations.tests.factories import MembershipFactory

    return MembershipFactory(organisation=organisation, role="admin").user


@pytest.fixture
def member(organisation):
    from samspill.organisations.tests.factories import MembershipFactory

    return MembershipFactory(organisation=organisation, role="member").user


@pytest.fixture
def outsider(other_organisation):
    """Logged in and an admin elsewhere, but with no role in ``organisation``."""
    from samspill.organisations.tests.factories import MembershipFactory

    return MembershipFactory(organisation=other_organisation, role="admin").user


@pytest.fixture
def user(db):
    from samspill.accounts.tests.factories import UserFactory

    return UserFactory()
