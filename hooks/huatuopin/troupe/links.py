"""Where troupe pages link outside the troupe: the village page of a talk's place."""

from __future__ import annotations

from collections.abc import Callable

from ..models import Place
from ..villages import VillageMap


def village_linker(villages: VillageMap) -> Callable[[Place], str | None]:
    """Site-relative URL of a place's village page, for templates; None for an unknown place.

    Validation only lets a talk name a known village, so None means a Catalog without one.
    """

    def village_url(place: Place) -> str | None:
        village = villages.for_place(place)
        return village.url if village is not None else None

    return village_url
