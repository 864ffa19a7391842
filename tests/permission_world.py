"""A small world of two organisations in two municipalities, for the permission matrix.

Organisation A (a voluntary organisation in Bergen) has private things: members, a
submission, a draft practice, and more as apps grow. Organisation B (in Voss) is the
other organisation. Each role is a person:

- ``anonymous``: not logged in
- ``outsider``: logged in, no organisation
- ``member_a``: a plain member of A
- ``admin_a``: the admin of A
- ``admin_b``: the admin of B (an organisation admin, but of another organisation)
- ``coordinator``: a coordinator in Bergen kommune (A's municipality), with two-step login
- ``editor``: a coordinator in a national body, with two-step login
- ``volunteer``: the private person ``secret`` themself (a plain member of A), for a person's own pages

``secret`` is a private person (a volunteer of A) whose name, e-mail and phone number
must never reach anyone outside A and the people who work with A's things.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from samspill.accounts.tests.factories import UserFactory, enable_totp
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory, kind
from samspill.places.models import Municipality

ROLES = ("anonymous", "outsider", "member_a", "admin_a", "admin_b", "coordinator", "editor", "volunteer")

SECRET_NAME = "Sigrunn Hemmelighetsen"
SECRET_EMAIL = "sigrunn.hemmelighetsen@privat.example.no"
SECRET_PHONE = "41234987"


@dataclass
class World:
    people: dict[str, Any]
    secret: Any
    org_a: Any
    org_b: Any
    municipality_a: Any
    municipality_b: Any
    objects: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def markers(self) -> list[str]:
        return [SECRET_NAME, SECRET_EMAIL, SECRET_PHONE]


def build_world() -> World:
    bergen = Municipality.objects.get(number="4601")
    voss = Municipality.objects.get(number="4621")
    org_a = OrganisationFactory(name="Lag A i Bergen", slug="lag-a", home_municipality=bergen)
    org_b = OrganisationFactory(name="Lag B på Voss", slug="lag-b", home_municipality=voss)
    kommune = OrganisationFactory(
        name="Bergen kommune (test)", slug="bergen-kommune-test", kind=kind("kommune"), governs_municipality=bergen
    )
    national = OrganisationFactory(name="Departementet (test)", slug="dep-test", kind=kind("nasjonal-aktor"))

    people: dict[str, Any] = {"anonymous": None, "outsider": UserFactory(name="Utenfor Utenforsen")}
    people["member_a"] = MembershipFactory(organisation=org_a, role="member").user
    people["admin_a"] = MembershipFactory(organisation=org_a, role="admin").user
    people["admin_b"] = MembershipFactory(organisation=org_b, role="admin").user
    people["coordinator"] = MembershipFactory(organisation=kommune, role="coordinator").user
    people["editor"] = MembershipFactory(organisation=national, role="coordinator").user
    for role in ("coordinator", "editor"):
        enable_totp(people[role])

    secret = UserFactory(name=SECRET_NAME, email=SECRET_EMAIL)
    MembershipFactory(organisation=org_a, user=secret, role="member")
    people["volunteer"] = secret
    world = World(people, secret, org_a, org_b, bergen, voss)
    world.objects.update(kommune=kommune, national=national)
    for populate in POPULATORS:
        populate(world)
    return world


# --- Each app adds its private and public objects ------------------------------------


def _organisations(world: World) -> None:
    from samspill.organisations.models import Invitation
    from samspill.organisations.tokens import create_api_token

    world.objects["invitation"] = Invitation.objects.create(
        organisation=world.org_a, email="ny.person@example.no", invited_by=world.people["admin_a"]
    )
    token, raw = create_api_token(organisation=world.org_a, name="A", created_by=world.people["admin_a"])
    world.objects["api_token"] = token
    world.tokens["a"] = raw
    _, world.tokens["b"] = create_api_token(organisation=world.org_b, name="B", created_by=world.people["admin_b"])
    _, world.tokens["national"] = create_api_token(
        organisation=world.objects["national"], name="N", created_by=world.people["editor"]
    )
    world.objects["membership_secret"] = world.secret.memberships.get(organisation=world.org_a)


def _calls(world: World) -> None:
    from django.core.files.base import ContentFile

    from samspill.calls.models import Attachment, Export, ReviewNote
    from samspill.calls.tests.factories import CallFactory, SubmissionFactory

    call: Any = CallFactory(slug="runde", audience="anyone", organisations=[world.objects["national"]])
    submission: Any = SubmissionFactory(
        call=call,
        submitter=world.secret,
        organisation=world.org_a,
        municipality=world.municipality_a,
        contact_name=SECRET_NAME,
        contact_email=SECRET_EMAIL,
        contact_phone=SECRET_PHONE,
        status="received",
        reference="INN-2026-0001",
        submitted_at=timezone.now(),
    )
    draft: Any = SubmissionFactory(
        call=call, submitter=world.secret, contact_name=SECRET_NAME, contact_email=SECRET_EMAIL, status="draft"
    )
    ReviewNote.objects.create(submission=submission, author=world.people["editor"], text="Internt notat")
    attachment = Attachment.objects.create(
        submission=submission,
        file=ContentFile(b"%PDF-1.4\n", name="x.pdf"),
        original_name="x.pdf",
        content_type="application/pdf",
        size=9,
    )
    export = Export.objects.create(call=call, requested_by=world.people["editor"], format="csv")
    world.objects.update(call=call, submission=submission, draft=draft, attachment=attachment, export=export)


def _practices(world: World) -> None:
    from samspill.practices.tests.factories import PracticeFactory

    world.objects["practice"] = PracticeFactory(slug="publisert", title="Publisert eksempel")
    world.objects["practice_draft"] = PracticeFactory(
        slug="forslag", title="Forslag", status="proposed", published_at=None, proposed_by=world.people["coordinator"]
    )


def _partnerships(world: World) -> None:
    from samspill.partnerships.models import Agreement, GuidelinesVersion, PartnershipMember
    from samspill.partnerships.tests.factories import (
        ActionItemFactory,
        AgreementFactory,
        ContributionFactory,
        GuidelinesVersionFactory,
        MeetingFactory,
        PartnershipFactory,
        PartnershipMemberFactory,
    )

    kommune = world.objects["kommune"]
    # Led by Bergen kommune, not public: only the lead's and members' people see inside.
    private: Any = PartnershipFactory(slug="samarbeid-a", name="Samarbeid om A", lead=kommune, is_public=False)
    member: Any = PartnershipMemberFactory(partnership=private, organisation=world.org_a, contact_person=world.secret)
    public: Any = PartnershipFactory(slug="apent-samarbeid", name="Åpent samarbeid", lead=kommune, is_public=True)
    invited: Any = PartnershipMemberFactory(
        partnership=public, organisation=world.org_a, status=PartnershipMember.Status.INVITED
    )
    requested: Any = PartnershipMemberFactory(
        partnership=public, organisation=world.org_b, status=PartnershipMember.Status.REQUESTED
    )
    guidelines: Any = GuidelinesVersionFactory(
        partnership=private, number=1, status=GuidelinesVersion.Status.PROPOSED, proposed_by=world.people["coordinator"]
    )
    agreement: Any = AgreementFactory(partnership=private, member=member, title="Avtale med A")
    contribution: Any = ContributionFactory(agreement=agreement, organisation=world.org_a)
    proposed: Any = AgreementFactory(
        partnership=private, member=member, title="Avtale til signering", status=Agreement.Status.PROPOSED
    )
    proposed.parties.set([world.org_a, kommune])
    signed: Any = AgreementFactory(
        partnership=private, member=member, title="Signert avtale", status=Agreement.Status.SIGNED
    )
    meeting: Any = MeetingFactory(partnership=private)
    action_item: Any = ActionItemFactory(meeting=meeting, owner_organisation=world.org_a, owner_person=world.secret)
    world.objects.update(
        partnership=private,
        partnership_public=public,
        partnership_member=member,
        partnership_invited=invited,
        partnership_requested=requested,
        guidelines=guidelines,
        agreement=agreement,
        agreement_proposed=proposed,
        agreement_signed=signed,
        contribution=contribution,
        meeting=meeting,
        action_item=action_item,
    )


def _measures(world: World) -> None:
    from datetime import date

    from samspill.measures.models import PlanItem, Resource
    from samspill.measures.tests.factories import IndicatorFactory, MeasureFactory, MeasurementFactory, PartnerFactory

    measure: Any = MeasureFactory(owner=world.org_a, title="Hemmelig tiltak", is_public=False, created_by=world.secret)
    partner: Any = PartnerFactory(measure=measure, organisation=world.objects["kommune"])
    indicator: Any = IndicatorFactory(measure=measure)
    MeasurementFactory(indicator=indicator)
    plan_item = PlanItem.objects.create(measure=measure, title="Første steg", due_date=date(2026, 6, 1))
    resource = Resource.objects.create(
        measure=measure, kind="contribution", organisation=world.org_a, description="Timer fra A"
    )
    public: Any = MeasureFactory(owner=world.org_a, title="Åpent tiltak", is_public=True)
    world.objects.update(
        measure=measure,
        measure_partner=partner,
        indicator=indicator,
        plan_item=plan_item,
        resource=resource,
        measure_public=public,
    )


def _volunteering(world: World) -> None:
    from samspill.volunteering.calendar import new_feed
    from samspill.volunteering.models import SignUp
    from samspill.volunteering.tests.factories import OpportunityFactory, ShiftFactory, ShiftSeriesFactory

    opportunity: Any = OpportunityFactory(organisation=world.org_a, title="Leksehjelp hos A")
    shift: Any = ShiftFactory(opportunity=opportunity)
    series: Any = ShiftSeriesFactory(opportunity=opportunity)
    signup = SignUp.objects.create(
        opportunity=opportunity, shift=shift, user=world.secret, status=SignUp.Status.CONFIRMED
    )
    ongoing: Any = OpportunityFactory(organisation=world.org_a, title="Besøksvenn hos A")
    interest = SignUp.objects.create(opportunity=ongoing, user=world.secret, status=SignUp.Status.PENDING)
    world.tokens["calendar"] = new_feed(world.secret)
    world.objects.update(
        opportunity=opportunity, shift=shift, series=series, signup=signup, ongoing=ongoing, interest=interest
    )


def _followup(world: World) -> None:
    from datetime import timedelta

    from samspill.followup.models import (
        CheckIn,
        ConfidentialityDeclaration,
        FollowUp,
        TrainingItem,
    )
    from samspill.followup.tests.factories import HoursEntryFactory

    today = timezone.localdate()
    pending = HoursEntryFactory(user=world.secret, organisation=world.org_a, status="pending")
    approved = HoursEntryFactory(user=world.secret, organisation=world.org_a, status="approved")
    followup = FollowUp.objects.create(
        organisation=world.org_a, user=world.secret, step_name="Etter fire uker", due_on=today + timedelta(days=3)
    )
    answered = FollowUp.objects.create(
        organisation=world.org_a, user=world.secret, step_name="Etter et år", occurrence=1, due_on=today
    )
    CheckIn.objects.create(followup=answered, satisfaction=4, comment="Trives", answered_at=timezone.now())
    declaration = ConfidentialityDeclaration.objects.create(
        organisation=world.org_a, version=1, text="Jeg holder tett.", created_by=world.people["admin_a"]
    )
    training = TrainingItem.objects.create(organisation=world.org_a, title="Førstehjelp")
    world.objects.update(
        hours_pending=pending,
        hours_approved=approved,
        followup=followup,
        followup_answered=answered,
        declaration=declaration,
        training=training,
    )


def _sessions(world: World) -> None:
    import secrets

    from samspill.accounts import devices
    from samspill.accounts.models import LoginSession

    key = secrets.token_hex(16)
    world.objects["login_session"] = LoginSession.objects.create(
        user=world.secret, key_hash=devices.key_hash(key), sealed_key=devices.seal(key), browser="Firefox"
    )


POPULATORS = [_organisations, _calls, _practices, _partnerships, _measures, _volunteering, _followup, _sessions]
