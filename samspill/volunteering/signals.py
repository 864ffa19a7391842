"""Signals other apps listen to (the follow-up app ends onboarding records on them)."""

from django.dispatch import Signal

# Sent after a sign-up is cancelled (by the person, a coordinator or ``forget``), inside the
# same transaction: sender=SignUp, signup=<the cancelled SignUp>.
signup_cancelled = Signal()
