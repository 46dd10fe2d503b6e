"""Villages, by stage: `records` (a profile, a village and its page), `slugs` (the last part of a
village's URL), `profiles` (reading and validating `docs/villages/`), `resolve` (every story's
village, checked against the profiles and the other stories)."""

from __future__ import annotations

from .profiles import PROFILE_FIELDS, VILLAGES_DIR, load_profile
from .records import (
    FirstSecretary,
    IncomeYear,
    PlaceKey,
    Village,
    VillageMap,
    VillageProfile,
    YearMonth,
)
from .resolve import resolve_villages
from .slugs import one_character_apart, pinyin_slug

__all__ = [
    "PROFILE_FIELDS",
    "VILLAGES_DIR",
    "FirstSecretary",
    "IncomeYear",
    "PlaceKey",
    "Village",
    "VillageMap",
    "VillageProfile",
    "YearMonth",
    "load_profile",
    "one_character_apart",
    "pinyin_slug",
    "resolve_villages",
]
