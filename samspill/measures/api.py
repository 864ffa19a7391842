"""JSON API of measures."""

from ninja import Router

router = Router(tags=["tiltak"])
