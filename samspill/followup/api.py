"""JSON API of followup."""

from ninja import Router

router = Router(tags=["oppfølging"])
