"""A property: whatever the organisations and memberships, A's people never reach B's private things.

Hypothesis draws a few organisations, gives each random members in random roles, and
gives organisation B private objects of every kind that has them. Then every person who
belongs to other organisations than B asks for each of B's private pages: the answer is
403 or 404, and B's private volunteer's name and e-mail are on no page they get.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from samspill.accounts.tests.factories import UserFactory
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory

SECRET_NAME = "Hemmelig Frivilligsen"
SECRET_EMAIL = "hemmelig.frivilligsen@privat.example.no"


def _private_submission(org: Any, secret: Any) -> list[str]:
    from samspill.calls.tests.factories import CallFactory, SubmissionFactory

    call: Any = CallFactory(organisations=[org])
    draft: Any = SubmissionFactory(
        call=call, submitter=secret, organisation=org, status="draft", contact_name=SECRET_NAME
    )
    sent: Any = SubmissionFactory(
        call=call, submitter=secret, organisation=org, status="received", contact_email=SECRET_EMAIL
    )
    return [
        f"/innspill/bidrag/{draft.pk}/",
        f"/innspill/bidrag/{sent.pk}/rediger/",
        f"/innspill/behandling/{sent.pk}/",
        f"/innspill/{call.slug}/behandling/",
    ]


def _private_organisation_pages(org: Any, secret: Any) -> list[str]:
    return [
        f"/organisasjoner/{org.slug}/medlemmer/",
        f"/organisasjoner/{org.slug}/rediger/",
        f"/organisasjoner/{org.slug}/historikk/",
        f"/organisasjoner/{org.slug}/api-nokler/",
    ]


def _private_partnership(org: Any, secret: Any) -> list[str]:
    """A non-public partnership led by a municipality's organisation, with B as a member."""
    from samspill.organisations.tests.factories import kind
    from samspill.partnerships.tests.factories import (
        AgreementFactory,
        MeetingFactory,
        PartnershipFactory,
        PartnershipMemberFactory,
    )

    lead: Any = OrganisationFactory(kind=kind("kommune"))
    partnership: Any = PartnershipFactory(lead=lead, is_public=False)
    member: Any = PartnershipMemberFactory(partnership=partnership, organisation=org, contact_person=secret)
    agreement: Any = AgreementFactory(partnership=partnership, member=member)
    meeting: Any = MeetingFactory(partnership=partnership)
    slug = partnership.slug
    return [
        reverse("partnerships:detail", args=[slug]),
        reverse("partnerships:members", args=[slug]),
        reverse("partnerships:member_edit", args=[slug, member.pk]),
        reverse("partnerships:agreement", args=[slug, agreement.pk]),
        reverse("partnerships:meeting", args=[slug, meeting.pk]),
        reverse("partnerships:action_items", args=[slug]),
    ]


def _private_measure(org: Any, secret: Any) -> list[str]:
    from samspill.measures.tests.factories import IndicatorFactory, MeasureFactory, MeasurementFactory

    measure: Any = MeasureFactory(owner=org, is_public=False, title=f"Tiltak av {SECRET_NAME}")
    indicator: Any = IndicatorFactory(measure=measure)
    MeasurementFactory(indicator=indicator)
    return [
        reverse("measures:detail", args=[measure.pk]),
        reverse("measures:edit", args=[measure.pk]),
        reverse("measures:indicator", args=[measure.pk, indicator.pk]),
        reverse("measures:import", args=[measure.pk]),
        f"/api/v1/measures/{measure.pk}",
    ]


def _private_volunteering(org: Any, secret: Any) -> list[str]:
    """B's opportunity is public; its coordinator pages and who signed up are not."""
    from samspill.volunteering.models import SignUp
    from samspill.volunteering.tests.factories import OpportunityFactory, ShiftFactory

    opportunity: Any = OpportunityFactory(organisation=org)
    shift: Any = ShiftFactory(opportunity=opportunity)
    signup = SignUp.objects.create(opportunity=opportunity, shift=shift, user=secret, status="confirmed")
    return [
        reverse("volunteering:manage", args=[opportunity.pk]),
        reverse("volunteering:edit", args=[opportunity.pk]),
        reverse("volunteering:shift", args=[shift.pk]),
        reverse("volunteering:cancel", args=[signup.pk]),
        reverse("volunteering:organisation", args=[org.slug]),
    ]


def _private_followup(org: Any, secret: Any) -> list[str]:
    from datetime import timedelta

    from samspill.followup.models import FollowUp
    from samspill.followup.tests.factories import HoursEntryFactory

    hours: Any = HoursEntryFactory(user=secret, organisation=org, status="pending", description=SECRET_NAME)
    followup = FollowUp.objects.create(
        organisation=org, user=secret, step_name="Etter fire uker", due_on=timezone.localdate() + timedelta(days=3)
    )
    return [
        reverse("followup:overview", args=[org.slug]),
        reverse("followup:volunteers", args=[org.slug]),
        reverse("followup:volunteer", args=[org.slug, secret.pk]),
        reverse("followup:certificate_for", args=[org.slug, secret.pk]),
        reverse("followup:hours", args=[org.slug]),
        reverse("followup:hours_reject", args=[hours.pk]),
        reverse("followup:report_csv", args=[org.slug]),
        reverse("followup:followup", args=[followup.pk]),
    ]


# Each app with private things adds a maker: (organisation B, B's private volunteer) -> URLs.
PRIVATE_MAKERS: list[Callable[[Any, Any], list[str]]] = [
    _private_organisation_pages,
    _private_submission,
    _private_partnership,
    _private_measure,
    _private_volunteering,
    _private_followup,
]

ROLE = st.sampled_from(["member", "coordinator", "admin"])


class IsolationProperty(TestCase):
    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        others=st.lists(st.lists(ROLE, min_size=1, max_size=3), min_size=1, max_size=3),
        b_roles=st.lists(ROLE, min_size=0, max_size=2),
    )
    def test_people_of_other_organisations_never_reach_b_private_pages(self, others, b_roles):
        org_b = OrganisationFactory()
        secret = UserFactory(name=SECRET_NAME, email=SECRET_EMAIL)
        MembershipFactory(organisation=org_b, user=secret, role="member")
        for role in b_roles:
            MembershipFactory(organisation=org_b, role=role)
        urls = [url for make in PRIVATE_MAKERS for url in make(org_b, secret)]

        strangers = []
        for roles in others:
            org = OrganisationFactory()
            strangers += [MembershipFactory(organisation=org, role=role).user for role in roles]

        for person in strangers:
            client = Client()
            client.force_login(person)
            for url in urls:
                response = client.get(url)
                assert response.status_code in (403, 404), (url, response.status_code)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                assert SECRET_NAME.encode() not in body, url
                assert SECRET_EMAIL.encode() not in body, url
