"""Follow-up at Frivilligsentralen i Voss: the demo volunteer's hours, onboarding and follow-ups.

Runs after volunteering's demo and uses its opportunities where they exist. Idempotent.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from samspill.accounts.models import User
from samspill.followup import services
from samspill.followup.models import (
    ConfidentialityDeclaration,
    ConfidentialitySignature,
    FollowUp,
    FollowUpStep,
    HoursEntry,
    PoliceCertificate,
    TrainingCompletion,
    TrainingItem,
)
from samspill.organisations.models import Organisation

DECLARATION = """Som frivillig ved Frivilligsentralen i Voss kan jeg få vite om personlige forhold hos dem jeg møter.

Jeg lover å bevare taushet om alt jeg får vite om andres personlige forhold gjennom det frivillige arbeidet, også etter at jeg har sluttet som frivillig.

Jeg skal ikke fortelle videre, skrive ned eller dele bilder av det jeg ser og hører, verken muntlig, skriftlig eller i sosiale medier.

Er jeg bekymret for noen, snakker jeg med koordinatoren på frivilligsentralen. Plikten til å hjelpe i en nødsituasjon og opplysningsplikten til barnevernet gjelder foran taushetsplikten."""

# (days ago, hours, description, approved)
HOURS = [
    (40, "2", "Besøk hos Anna på Voss sjukeheim", True),
    (33, "2.5", "Tur rundt Vangsvatnet med besøksvenn", True),
    (26, "2", "Kaffe og prat", True),
    (12, "3", "Leksehjelp på biblioteket", True),
    (5, "2", "Tur med besøksvenn", False),
    (2, "1.5", "Digital hjelp: BankID på mobilen", False),
]


def load() -> None:
    voss = Organisation.objects.filter(slug="frivilligsentralen-i-voss").first()
    volunteer = User.objects.filter(email="frivillig@demo.samspill.no").first()
    leader = User.objects.filter(email="leder@demo.samspill.no").first()
    if voss is None or volunteer is None:
        return
    today = timezone.localdate()

    services.add_default_steps(voss)

    if not ConfidentialityDeclaration.objects.filter(organisation=voss).exists():
        services.publish_declaration(organisation=voss, text=DECLARATION, by=leader)
    declaration = services.current_declaration(voss)
    assert declaration is not None  # noqa: S101 (published just above)
    ConfidentialitySignature.objects.get_or_create(
        declaration=declaration, user=volunteer, defaults={"signed_at": timezone.now() - timedelta(days=45)}
    )

    intro, _ = TrainingItem.objects.get_or_create(
        organisation=voss,
        title="Introduksjonskurs for besøksvenner",
        defaults={
            "description": "To timer om rollen som besøksvenn, taushetsplikt og hvem du kontakter ved bekymring."
        },
    )
    TrainingItem.objects.get_or_create(
        organisation=voss,
        title="Førstehjelp",
        defaults={"description": "Grunnkurs i førstehjelp med Røde Kors.", "required": True},
    )
    TrainingCompletion.objects.get_or_create(
        item=intro, user=volunteer, defaults={"completed_on": today - timedelta(days=44), "recorded_by": leader}
    )

    opportunities = _voss_opportunities(voss)
    if (
        services.police_certificate_basis(voss)
        and not PoliceCertificate.objects.filter(organisation=voss, user=volunteer).exists()
    ):
        services.request_police_certificate(organisation=voss, user=volunteer, by=leader, on=today - timedelta(days=50))
        services.record_police_certificate_seen(
            organisation=voss, user=volunteer, by=leader, seen_on=today - timedelta(days=43)
        )

    if not HoursEntry.objects.filter(organisation=voss, user=volunteer).exists():
        for i, (days_ago, hours, description, approved) in enumerate(HOURS):
            HoursEntry.objects.create(
                organisation=voss,
                user=volunteer,
                opportunity=opportunities[i % len(opportunities)] if opportunities else None,
                date=today - timedelta(days=days_ago),
                hours=Decimal(hours),
                description=description,
                status="approved" if approved else "pending",
                decided_by=leader if approved else None,
                decided_at=timezone.now() - timedelta(days=days_ago - 1) if approved else None,
            )

    # One follow-up overdue (after the first shift) and one due now (after four weeks).
    steps = list(FollowUpStep.objects.filter(organisation=voss).order_by("days_after_start")[:2])
    for step, days_ago in zip(steps, (38, 2), strict=False):
        FollowUp.objects.get_or_create(
            step=step,
            user=volunteer,
            occurrence=0,
            defaults={"organisation": voss, "step_name": step.name, "due_on": today - timedelta(days=days_ago)},
        )


def _voss_opportunities(voss: Organisation) -> list:
    from samspill.volunteering.models import Opportunity

    return list(Opportunity.objects.filter(organisation=voss).order_by("pk")[:3])
