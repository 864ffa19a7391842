"""JSON API of partnerships."""

from ninja import Router

router = Router(tags=["partnerskap"])
