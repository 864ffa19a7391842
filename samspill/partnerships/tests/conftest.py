"""People around one partnership, named after what they are to it.

- ``lead_coordinator``: coordinator (with TOTP) in the county that leads it
- ``lead_admin``: admin (with TOTP) in the county
- ``member_admin`` / ``member_user``: admin and plain member of an active member organisation
- ``other_admin``: admin of an organisation that is not in the partnership (the outsider)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from samspill.accounts.tests.factories import enable_totp
from samspill.organisations.models import Organisation
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory, kind
from samspill.partnerships.models import Partnership, PartnershipMember
from samspill.partnerships.tests.factories import PartnershipFactory, PartnershipMemberFactory
from samspill.places.models import County


@dataclass
class World:
    partnership: Partnership
    lead: Organisation
    member_org: Organisation
    member_row: PartnershipMember
    other_org: Organisation
    lead_coordinator: Any
    lead_admin: Any
    member_admin: Any
    member_user: Any
    other_admin: Any


@pytest.fixture
def world(db) -> World:
    county = County.objects.get(number="46")
    lead = Organisation.objects.filter(governs_county=county).first() or OrganisationFactory(
        name="Vestland fylkeskommune", slug="vestland-fk-test", kind=kind("fylkeskommune"), governs_county=county
    )
    partnership = PartnershipFactory(lead=lead, name="Partnerskap for folkehelse", slug="folkehelse", is_public=False)
    member_org = OrganisationFactory(name="Frivilligsentralen Test")
    member_row = PartnershipMemberFactory(partnership=partnership, organisation=member_org)
    other_org = OrganisationFactory(name="Annet lag")
    lead_coordinator = MembershipFactory(organisation=lead, role="coordinator").user
    enable_totp(lead_coordinator)
    lead_admin = MembershipFactory(organisation=lead, role="admin").user
    enable_totp(lead_admin)
    return World(
        partnership=partnership,
        lead=lead,
        member_org=member_org,
        member_row=member_row,
        other_org=other_org,
        lead_coordinator=lead_coordinator,
        lead_admin=lead_admin,
        member_admin=MembershipFactory(organisation=member_org, role="admin").user,
        member_user=MembershipFactory(organisation=member_org, role="member").user,
        other_admin=MembershipFactory(organisation=other_org, role="admin").user,
    )
