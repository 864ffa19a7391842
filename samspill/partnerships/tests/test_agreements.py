"""Agreements: parties, signing rules, locking, new versions, the contributions summary."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samspill.partnerships import services
from samspill.partnerships.models import Agreement
from samspill.partnerships.tests.factories import (
    AgreementFactory,
    ContributionFactory,
    PartnershipMemberFactory,
)

pytestmark = pytest.mark.django_db


def proposed(world, **kwargs):
    agreement = AgreementFactory(partnership=world.partnership, member=world.member_row, **kwargs)
    return services.propose_agreement(agreement)


def test_parties_are_the_lead_and_the_member_or_all_members(world):
    other = PartnershipMemberFactory(partnership=world.partnership)
    with_one = AgreementFactory(partnership=world.partnership, member=world.member_row)
    with_all = AgreementFactory(partnership=world.partnership)
    assert {o.pk for o in services.agreement_parties(with_one)} == {world.lead.pk, world.member_org.pk}
    assert {o.pk for o in services.agreement_parties(with_all)} == {
        world.lead.pk,
        world.member_org.pk,
        other.organisation_id,
    }
    # Fixed when proposed: a member who joins later is not a party.
    services.propose_agreement(with_all)
    PartnershipMemberFactory(partnership=world.partnership)
    assert with_all.parties.count() == 3


def test_only_an_admin_of_a_party_may_sign(world):
    agreement = proposed(world)
    for person, organisation in (
        (world.member_user, world.member_org),  # plain member of the party
        (world.lead_coordinator, world.lead),  # coordinator, not admin
        (world.other_admin, world.other_org),  # not a party
        (world.other_admin, world.member_org),  # admin elsewhere
    ):
        with pytest.raises(ValidationError):
            services.sign_agreement(agreement, organisation=organisation, by=person, signer_role="leder")
    assert agreement.signatures.count() == 0


def test_signed_by_every_party_becomes_signed_and_locked(world):
    agreement = proposed(world)
    agreement = services.sign_agreement(
        agreement, organisation=world.member_org, by=world.member_admin, signer_role="styreleder"
    )
    assert agreement.status == Agreement.Status.PROPOSED
    with pytest.raises(ValidationError):
        services.sign_agreement(agreement, organisation=world.member_org, by=world.member_admin, signer_role="igjen")
    agreement = services.sign_agreement(
        agreement, organisation=world.lead, by=world.lead_admin, signer_role="fylkesdirektør"
    )
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.signed_at is not None
    signature = agreement.signatures.get(organisation=world.member_org)
    assert (signature.signed_by, signature.signer_role) == (world.member_admin, "styreleder")
    with pytest.raises(ValidationError):
        services.update_agreement(agreement, text="Endret")
    with pytest.raises(ValidationError):
        services.add_contribution(agreement, organisation=world.lead, year=2026, kind="money", description="x")


def test_signed_agreement_cannot_be_edited_through_the_pages(client, world):
    agreement = proposed(world)
    services.sign_agreement(agreement, organisation=world.member_org, by=world.member_admin, signer_role="leder")
    services.sign_agreement(agreement, organisation=world.lead, by=world.lead_admin, signer_role="leder")
    client.force_login(world.lead_coordinator)
    slug = world.partnership.slug
    assert client.get(reverse("partnerships:agreement_edit", args=[slug, agreement.pk])).status_code == 403
    response = client.post(
        reverse("partnerships:contribution_add", args=[slug, agreement.pk]),
        {"organisation": world.lead.pk, "year": 2026, "kind": "money", "description": "Mer", "amount": "5"},
    )
    assert response.status_code == 403
    page = client.get(reverse("partnerships:agreement", args=[slug, agreement.pk])).content.decode()
    assert "Rediger avtalen" not in page
    assert "Lag en ny versjon" in page


def test_a_new_version_replaces_the_signed_one_once_signed(client, world):
    agreement = proposed(world)
    ContributionFactory(agreement=agreement, organisation=world.member_org, amount=Decimal(1000))
    services.sign_agreement(agreement, organisation=world.member_org, by=world.member_admin, signer_role="leder")
    services.sign_agreement(agreement, organisation=world.lead, by=world.lead_admin, signer_role="leder")
    client.force_login(world.lead_coordinator)
    response = client.post(reverse("partnerships:agreement_new_version", args=[world.partnership.slug, agreement.pk]))
    copy = Agreement.objects.get(replaces=agreement)
    assert response.url == copy.get_absolute_url()
    assert (copy.status, copy.version, copy.contributions.count()) == ("draft", 2, 1)
    services.update_agreement(copy, text="Ny tekst")
    services.propose_agreement(copy)
    services.sign_agreement(copy, organisation=world.member_org, by=world.member_admin, signer_role="leder")
    services.sign_agreement(copy, organisation=world.lead, by=world.lead_admin, signer_role="leder")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.REPLACED
    assert agreement.text != "Ny tekst"


def test_member_admin_signs_through_the_page(client, world):
    agreement = proposed(world)
    url = reverse("partnerships:agreement_sign", args=[world.partnership.slug, agreement.pk])
    client.force_login(world.member_user)
    assert client.post(url, {"organisation": world.member_org.pk, "signer_role": "x"}).status_code == 403
    client.force_login(world.member_admin)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Signer avtalen" in page
    # Signing for another party is refused at the field.
    response = client.post(url, {"organisation": world.lead.pk, "signer_role": "leder"})
    assert response.status_code == 422
    response = client.post(url, {"organisation": world.member_org.pk, "signer_role": ""})
    assert response.status_code == 422
    assert "Skriv rollen du signerer i." in response.content.decode()
    response = client.post(url, {"organisation": world.member_org.pk, "signer_role": "daglig leder"})
    assert response.status_code == 302
    assert agreement.signatures.get().signer_role == "daglig leder"


def test_withdraw_returns_to_draft_without_signatures(world):
    agreement = proposed(world)
    services.sign_agreement(agreement, organisation=world.member_org, by=world.member_admin, signer_role="leder")
    agreement = services.withdraw_agreement(agreement)
    assert agreement.status == "draft"
    assert agreement.signatures.count() == 0


def test_proposing_needs_two_parties(world):
    world.member_row.status = "left"
    world.member_row.save()
    with pytest.raises(ValidationError):
        services.propose_agreement(AgreementFactory(partnership=world.partnership))


def test_contribution_summary_adds_up_per_year_kind_and_unit(world):
    other = PartnershipMemberFactory(partnership=world.partnership)
    signed = AgreementFactory(partnership=world.partnership, status="signed")
    pending = AgreementFactory(partnership=world.partnership, status="proposed")
    draft = AgreementFactory(partnership=world.partnership, status="draft")
    ContributionFactory(agreement=signed, organisation=world.lead, year=2026, kind="money", amount=Decimal(200000))
    ContributionFactory(agreement=signed, organisation=world.member_org, year=2026, kind="money", amount=Decimal(50000))
    ContributionFactory(
        agreement=pending, organisation=other.organisation, year=2026, kind="money", amount=Decimal(25000)
    )
    ContributionFactory(
        agreement=signed,
        organisation=world.member_org,
        year=2026,
        kind="volunteer_hours",
        amount=Decimal(300),
        unit="timer",
    )
    ContributionFactory(
        agreement=signed,
        organisation=world.member_org,
        year=2026,
        kind="volunteer_hours",
        amount=Decimal(100),
        unit="timer",
    )
    ContributionFactory(
        agreement=signed,
        organisation=world.lead,
        year=2027,
        kind="competence",
        amount=None,
        unit="",
        description="Kurs",
    )
    ContributionFactory(agreement=draft, organisation=world.lead, year=2026, kind="money", amount=Decimal(999999))

    rows = {(r.year, r.kind): r for r in services.contribution_summary(world.partnership)}
    assert list(rows) == [(2026, "money"), (2026, "volunteer_hours"), (2027, "competence")]
    assert rows[(2026, "money")].totals == [(Decimal(275000), "NOK")]
    assert rows[(2026, "volunteer_hours")].totals == [(Decimal(400), "timer")]
    assert rows[(2026, "volunteer_hours")].parties == [
        (world.member_org.name, Decimal(400), "timer", ["Driftstilskudd"] * 2)
    ]
    assert rows[(2027, "competence")].totals == []
    signed_only = {
        (r.year, r.kind): r for r in services.contribution_summary(world.partnership, include_proposed=False)
    }
    assert signed_only[(2026, "money")].totals == [(Decimal(250000), "NOK")]
    assert services.contribution_totals(world.partnership) == [
        {"year": 2026, "kind": "money", "unit": "NOK", "amount": Decimal(250000)},
        {"year": 2026, "kind": "volunteer_hours", "unit": "timer", "amount": Decimal(400)},
    ]


def test_summary_on_the_agreements_page(client, world):
    signed = AgreementFactory(partnership=world.partnership, status="signed")
    ContributionFactory(agreement=signed, organisation=world.lead, year=2026, kind="money", amount=Decimal(200000))
    ContributionFactory(agreement=signed, organisation=world.member_org, year=2026, kind="money", amount=Decimal(50000))
    client.force_login(world.member_user)
    page = client.get(reverse("partnerships:agreements", args=[world.partnership.slug])).content.decode()
    assert "Sammendrag av bidrag" in page
    assert "250\xa0000 NOK" in page or "250 000 NOK" in page or "250000 NOK" in page


def test_lead_creates_a_draft_with_a_contribution_and_proposes_it(client, world):
    client.force_login(world.lead_coordinator)
    slug = world.partnership.slug
    response = client.post(
        reverse("partnerships:agreement_create", args=[slug]),
        {
            "title": "Avtale 2026",
            "member": world.member_row.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2025-12-31",
            "text": "T",
        },
    )
    assert response.status_code == 200
    assert "Sluttdatoen kan ikke være før startdatoen." in response.content.decode()
    assert 'value="Avtale 2026"' in response.content.decode()
    response = client.post(
        reverse("partnerships:agreement_create", args=[slug]),
        {
            "title": "Avtale 2026",
            "member": world.member_row.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "text": "T",
        },
    )
    agreement = Agreement.objects.get(title="Avtale 2026")
    assert response.url == agreement.get_absolute_url()
    response = client.post(
        reverse("partnerships:contribution_add", args=[slug, agreement.pk]),
        {
            "organisation": world.member_org.pk,
            "year": 2026,
            "kind": "volunteer_hours",
            "description": "Besøksvenner",
            "amount": "300",
        },
    )
    assert response.status_code == 302
    contribution = agreement.contributions.get()
    assert (contribution.unit, contribution.amount) == ("timer", Decimal(300))
    # A party outside the agreement cannot be given a contribution.
    response = client.post(
        reverse("partnerships:contribution_add", args=[slug, agreement.pk]),
        {"organisation": world.other_org.pk, "year": 2026, "kind": "money", "description": "x", "amount": "1"},
    )
    assert response.status_code == 422
    client.post(reverse("partnerships:agreement_propose", args=[slug, agreement.pk]))
    agreement.refresh_from_db()
    assert agreement.status == "proposed"
    assert set(agreement.parties.values_list("pk", flat=True)) == {world.lead.pk, world.member_org.pk}


def test_agreement_history_is_kept(world):
    agreement = proposed(world)
    assert list(agreement.history.values_list("status", flat=True)) == ["proposed", "draft"]


def test_a_partnership_with_signed_agreements_can_be_deleted_but_not_a_member_row_alone(world):
    from django.db.models import RestrictedError

    agreement = proposed(world)
    ContributionFactory(agreement=agreement, organisation=world.member_org)
    services.sign_agreement(agreement, organisation=world.member_org, by=world.member_admin, signer_role="leder")
    with pytest.raises(RestrictedError):
        world.member_row.delete()
    world.partnership.delete()
    assert not Agreement.objects.exists()
