"""Onboarding records: police certificates (seen, never stored), confidentiality, training."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import models
from django.test import RequestFactory
from django.utils import timezone

from samspill.accounts.tests.factories import UserFactory
from samspill.followup import sections, services
from samspill.followup.models import (
    ConfidentialityDeclaration,
    ConfidentialitySignature,
    PoliceCertificate,
    TrainingCompletion,
    TrainingItem,
)
from samspill.followup.tests.factories import opportunity, shift, signup
from samspill.organisations.models import Membership
from samspill.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(organisation):
    return MembershipFactory(organisation=organisation, role="coordinator").user


@pytest.fixture
def with_basis(organisation):
    return opportunity(
        organisation, title="Leksehjelp for barn", requires_police_certificate=True, police_certificate_basis="minors"
    )


@pytest.fixture
def volunteer(with_basis):
    person = UserFactory(name="Vilde Frivillig")
    signup(with_basis, person, shift=shift(with_basis))
    return person


def url(organisation, person, what=""):
    base = f"/oppfolging/organisasjon/{organisation.slug}/frivillige/{person.pk}/"
    return base + what


# --- Police certificates --------------------------------------------------------------------


def test_the_model_can_hold_no_copy_of_the_certificate():
    fields = {f.name for f in PoliceCertificate._meta.get_fields()}
    assert not any(isinstance(f, models.FileField) for f in PoliceCertificate._meta.get_fields())
    assert not {"number", "certificate_number", "file", "document", "copy"} & fields
    assert not hasattr(PoliceCertificate, "history")  # a history row would outlive the deletion


def test_refused_where_no_opportunity_of_the_organisation_has_a_legal_basis(organisation, coordinator):
    opp = opportunity(organisation, title="Kafévert")  # no basis
    person = UserFactory()
    signup(opp, person, shift=shift(opp))
    with pytest.raises(services.NoLegalBasis):
        services.record_police_certificate_seen(
            organisation=organisation, user=person, by=coordinator, seen_on=timezone.localdate()
        )
    with pytest.raises(services.NoLegalBasis):
        services.request_police_certificate(
            organisation=organisation, user=person, by=coordinator, on=timezone.localdate()
        )
    assert not PoliceCertificate.objects.exists()


def test_not_offered_on_the_page_and_refused_by_post_without_basis(client, organisation, coordinator):
    opp = opportunity(organisation, title="Kafévert")
    person = UserFactory()
    signup(opp, person, shift=shift(opp))
    client.force_login(coordinator)
    page = client.get(url(organisation, person)).content.decode()
    assert "Registrer at politiattesten er sett" not in page
    assert "gir hjemmel" in page
    response = client.post(url(organisation, person, "politiattest/seen/"), {"day": timezone.localdate()}, follow=True)
    assert "ingen oppdrag med hjemmel" in response.content.decode()
    assert not PoliceCertificate.objects.exists()


def test_coordinator_records_requested_and_seen_with_date_and_name(client, organisation, coordinator, volunteer):
    client.force_login(coordinator)
    page = client.get(url(organisation, volunteer)).content.decode()
    assert "Registrer at politiattesten er sett" in page
    assert 'type="file"' not in page
    day = timezone.localdate() - timedelta(days=1)
    assert client.post(url(organisation, volunteer, "politiattest/requested/"), {"day": day}).status_code == 302
    assert client.post(url(organisation, volunteer, "politiattest/seen/"), {"day": day}).status_code == 302
    record = PoliceCertificate.objects.get(organisation=organisation, user=volunteer)
    assert (record.requested_on, record.seen_on, record.seen_by, record.basis) == (day, day, coordinator, "minors")
    assert coordinator.name in client.get(url(organisation, volunteer)).content.decode()


def test_seen_date_cannot_be_in_the_future(client, organisation, coordinator, volunteer):
    client.force_login(coordinator)
    client.post(url(organisation, volunteer, "politiattest/seen/"), {"day": timezone.localdate() + timedelta(days=2)})
    assert not PoliceCertificate.objects.exists()


def test_unknown_action_is_404(client, organisation, coordinator, volunteer):
    client.force_login(coordinator)
    assert client.post(url(organisation, volunteer, "politiattest/upload/"), {"day": "2026-01-01"}).status_code == 404


def _seen(organisation, person, by):
    return services.record_police_certificate_seen(
        organisation=organisation, user=person, by=by, seen_on=timezone.localdate()
    )


def test_record_is_deleted_when_the_last_active_signup_is_cancelled(organisation, coordinator, with_basis):
    from samspill.volunteering.services import cancel

    person = UserFactory()
    first = signup(with_basis, person, shift=shift(with_basis))
    second = signup(with_basis, person, shift=shift(with_basis, starts_at=timezone.now() + timedelta(days=10)))
    _seen(organisation, person, coordinator)
    cancel(first, by=person)
    assert PoliceCertificate.objects.filter(user=person).exists()  # still signed up for another shift
    cancel(second, by=person)
    assert not PoliceCertificate.objects.filter(user=person).exists()


def test_record_is_deleted_when_the_membership_is_removed(organisation, coordinator, with_basis):
    membership = MembershipFactory(organisation=organisation, role="member")
    _seen(organisation, membership.user, coordinator)
    membership.delete()
    assert not PoliceCertificate.objects.filter(user=membership.user).exists()


def test_removing_a_membership_keeps_the_record_while_signed_up(organisation, coordinator, volunteer):
    Membership.objects.create(organisation=organisation, user=volunteer, role="member")
    _seen(organisation, volunteer, coordinator)
    Membership.objects.filter(user=volunteer).delete()  # a queryset delete sends post_delete too
    assert PoliceCertificate.objects.filter(user=volunteer).exists()


def test_end_role_action_cancels_signups_and_deletes_the_record(client, organisation, coordinator, volunteer):
    from samspill.volunteering.models import SignUp

    _seen(organisation, volunteer, coordinator)
    client.force_login(coordinator)
    page = client.get(url(organisation, volunteer, "avslutt/")).content.decode()
    assert "Leksehjelp for barn" in page  # lists the sign-up that will be cancelled
    assert client.post(url(organisation, volunteer, "avslutt/")).status_code == 302
    assert not PoliceCertificate.objects.filter(user=volunteer).exists()
    assert set(SignUp.objects.filter(user=volunteer).values_list("status", flat=True)) == {"cancelled"}


def test_ended_role_stops_follow_ups_until_a_new_signup(organisation, coordinator, volunteer, with_basis):
    from samspill.followup.tests.factories import FollowUpStepFactory

    FollowUpStepFactory(organisation=organisation, days_after_start=0)
    services.end_role(organisation=organisation, user=volunteer, by=coordinator)
    later = timezone.now() + timedelta(days=30)
    assert services.create_due_followups(later) == 0
    signup(with_basis, volunteer, shift=shift(with_basis, starts_at=timezone.now() + timedelta(days=5)))
    assert services.create_due_followups(later) == 1


def test_only_coordinators_of_the_organisation_record(client, organisation, volunteer, member, outsider):
    day = {"day": timezone.localdate()}
    for person in (member, outsider, volunteer):
        client.force_login(person)
        assert client.post(url(organisation, volunteer, "politiattest/seen/"), day).status_code == 403
        assert client.get(url(organisation, volunteer)).status_code == 403
    client.logout()
    assert client.post(url(organisation, volunteer, "politiattest/seen/"), day).status_code == 302  # to log in
    assert not PoliceCertificate.objects.exists()


def test_people_without_a_tie_to_the_organisation_are_not_found(client, organisation, coordinator):
    client.force_login(coordinator)
    stranger = UserFactory()
    assert client.get(url(organisation, stranger)).status_code == 404
    assert client.post(url(organisation, stranger, "avslutt/")).status_code == 404


# --- Confidentiality declarations -------------------------------------------------------------


def test_new_text_is_a_new_version_and_old_signatures_stay(client, organisation, coordinator, volunteer):
    client.force_login(coordinator)
    declarations = f"/oppfolging/organisasjon/{organisation.slug}/taushetserklaering/"
    assert client.post(declarations, {"text": "Jeg lover å tie."}).status_code == 302
    first = ConfidentialityDeclaration.objects.get()
    services.sign_declaration(declaration=first, user=volunteer)
    client.post(declarations, {"text": "Jeg lover å tie, også etterpå."})
    assert list(ConfidentialityDeclaration.objects.values_list("version", flat=True)) == [2, 1]
    assert ConfidentialitySignature.objects.get().declaration == first
    # The volunteer signs the new version in the app, with a timestamp.
    client.force_login(volunteer)
    sign = f"/oppfolging/taushetserklaering/{organisation.slug}/"
    assert "også etterpå" in client.get(sign).content.decode()
    assert client.post(sign, {}).status_code == 200  # without the box ticked: not signed
    assert client.post(sign, {"confirm": "yes"}).status_code == 302
    latest = ConfidentialitySignature.objects.get(declaration__version=2)
    assert latest.user == volunteer and latest.signed_at is not None


def test_declaration_page_for_an_organisation_without_text_is_404(client, organisation, volunteer):
    client.force_login(volunteer)
    assert client.get(f"/oppfolging/taushetserklaering/{organisation.slug}/").status_code == 404


def test_only_coordinators_write_declarations(client, organisation, member, outsider):
    for person in (member, outsider):
        client.force_login(person)
        response = client.post(f"/oppfolging/organisasjon/{organisation.slug}/taushetserklaering/", {"text": "x"})
        assert response.status_code == 403
    assert not ConfidentialityDeclaration.objects.exists()


# --- Training -----------------------------------------------------------------------------


def test_coordinator_adds_training_and_records_completion(client, organisation, coordinator, volunteer):
    client.force_login(coordinator)
    response = client.post(
        f"/oppfolging/organisasjon/{organisation.slug}/opplaering/", {"title": "Førstehjelp", "required": "on"}
    )
    assert response.status_code == 302
    item = TrainingItem.objects.get(organisation=organisation)
    day = timezone.localdate()
    assert client.post(url(organisation, volunteer, f"opplaering/{item.pk}/"), {"day": day}).status_code == 302
    completion = TrainingCompletion.objects.get()
    assert (completion.user, completion.completed_on, completion.recorded_by) == (volunteer, day, coordinator)


def test_training_of_another_organisation_is_404(client, organisation, other_organisation, coordinator, volunteer):
    item = TrainingItem.objects.create(organisation=other_organisation, title="Annen")
    client.force_login(coordinator)
    response = client.post(url(organisation, volunteer, f"opplaering/{item.pk}/"), {"day": timezone.localdate()})
    assert response.status_code == 404


# --- The warning on shift and opportunity pages ---------------------------------------------------


def _sections(user, obj):
    request = RequestFactory().get("/")
    request.user = user
    return sections.for_object(request, obj)


def test_shift_page_warns_coordinator_about_missing_records(organisation, coordinator, with_basis):
    with_basis.requires_confidentiality = True
    with_basis.save(update_fields=["requires_confidentiality"])
    TrainingItem.objects.create(organisation=organisation, title="Barneomsorg", required=True)
    the_shift = shift(with_basis)
    ready, lacking = UserFactory(name="Klar Person"), UserFactory(name="Mangler Mye")
    signup(with_basis, ready, shift=the_shift)
    signup(with_basis, lacking, shift=the_shift)
    signup(with_basis, lacking, shift=shift(with_basis, starts_at=timezone.now() + timedelta(days=9)))  # listed once
    declaration = services.publish_declaration(organisation=organisation, text="Taus", by=coordinator)
    services.sign_declaration(declaration=declaration, user=ready)
    _seen(organisation, ready, coordinator)
    services.record_training(
        item=TrainingItem.objects.get(), user=ready, completed_on=timezone.localdate(), by=coordinator
    )

    [section] = _sections(coordinator, the_shift)
    lacks = section.context["lacks"]
    assert [lack.name for lack in lacks] == ["Mangler Mye"]
    assert lacks[0].missing == ["politiattest", "taushetserklæring", "Barneomsorg"]
    [section] = _sections(coordinator, with_basis)
    assert [lack.name for lack in section.context["lacks"]] == ["Mangler Mye"]


def test_warning_is_only_for_coordinators_of_the_organisation(organisation, with_basis, member, outsider, volunteer):
    the_shift = shift(with_basis)
    for person in (member, outsider, volunteer):
        assert _sections(person, the_shift) == []


def test_organisation_page_links_coordinators_to_the_desk(client, organisation, coordinator, member, outsider):
    [section] = _sections(coordinator, organisation)
    assert section.template == "followup/sections/organisation.html"
    for person in (member, outsider):
        assert _sections(person, organisation) == []
    client.force_login(coordinator)
    assert (
        f"/oppfolging/organisasjon/{organisation.slug}/" in client.get(organisation.get_absolute_url()).content.decode()
    )


def test_sections_ignore_other_objects(municipality, coordinator):
    assert _sections(coordinator, municipality) == []


def test_volunteering_shift_page_shows_the_warning_to_its_coordinators(
    client, organisation, coordinator, with_basis, member
):
    the_shift = shift(with_basis)
    signup(with_basis, UserFactory(name="Mangler Attest"), shift=the_shift)
    client.force_login(coordinator)
    page = client.get(f"/frivillig/vakt/{the_shift.pk}/").content.decode()
    assert "Krav til de påmeldte" in page and "Mangler Attest" in page
    assert "Mangler Attest" in client.get(f"/frivillig/{with_basis.pk}/administrer/").content.decode()
    client.force_login(member)
    assert "Krav til de påmeldte" not in client.get(f"/frivillig/{with_basis.pk}/").content.decode()


def test_an_organisation_with_records_can_be_deleted(organisation, coordinator, volunteer):
    declaration = services.publish_declaration(organisation=organisation, text="Taus", by=coordinator)
    services.sign_declaration(declaration=declaration, user=volunteer)
    _seen(organisation, volunteer, coordinator)
    organisation.delete()
    assert not ConfidentialitySignature.objects.exists() and not PoliceCertificate.objects.exists()


def test_volunteer_list_query_count_does_not_grow(
    client, organisation, coordinator, with_basis, django_assert_max_num_queries
):
    services.publish_declaration(organisation=organisation, text="Taus", by=coordinator)
    url = f"/oppfolging/organisasjon/{organisation.slug}/frivillige/"
    client.force_login(coordinator)
    signup(with_basis, UserFactory(), shift=shift(with_basis))
    with django_assert_max_num_queries(20) as before:
        client.get(url)
    for _ in range(12):
        person = UserFactory()
        signup(with_basis, person, shift=shift(with_basis))
        _seen(organisation, person, coordinator)
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("/frivillige/") >= 13


def test_seen_record_shows_when_the_coordinator_is_gone(client, organisation, coordinator, volunteer):
    _seen(organisation, volunteer, coordinator)
    PoliceCertificate.objects.update(seen_by=None)
    client.force_login(MembershipFactory(organisation=organisation, role="admin").user)
    assert client.get(url(organisation, volunteer)).status_code == 200
