"""JSON API of volunteering."""

from ninja import Router

router = Router(tags=["frivillige oppdrag"])
