"""Where troupe pages link to outside the troupe: village pages.

Village pages live at `/villages/<city-slug>/<county-slug>/<village-slug>/` (DESIGN.md, "URLs").
`village_url` is the only place the troupe computes one: the villages generator's page when
the Catalog knows the village (`catalog.villages`, keyed by (city, county, village)), else the
URL the contract gives a village without a profile — the place's slugs and the pinyin of the
village's name. Talks name only known villages, so the fallback is for a Catalog built without
the villages generator (unit tests, or before it lands).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from pypinyin import lazy_pinyin

from ..models import Place

VILLAGE_SUFFIX = "村"


def pinyin_slug(name: str) -> str:
    """Lower-case ASCII pinyin of a village's name without a final 村: 张庄村 → zhangzhuang."""
    base = name.strip()
    if base.endswith(VILLAGE_SUFFIX) and len(base) > 2:
        base = base[: -len(VILLAGE_SUFFIX)]
    return re.sub(r"[^a-z0-9]+", "-", "".join(lazy_pinyin(base)).lower()).strip("-")


def village_url(place: Place, villages: Mapping[Any, Any] | None = None) -> str:
    """Site-relative URL (no leading slash) of the village page of `place`."""
    village = (villages or {}).get(place.key)
    if village is not None:
        return str(village.url)
    return f"villages/{place.city_slug}/{place.county_slug}/{pinyin_slug(place.village)}/"


def village_linker(villages: Mapping[Any, Any] | None) -> Callable[[Place], str]:
    """`village_url` bound to the Catalog's villages, for templates."""
    return lambda place: village_url(place, villages)
