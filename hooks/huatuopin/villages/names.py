"""Which near-miss village names are typing mistakes, and which are simply other villages.

Henan names its villages in patterns: one county has 张庄村, 李庄村, 王庄村 and 刘庄村 side by
side, so a name one character away from a profiled village is usually another village. It is a
typing mistake only where it looks like one:

- the same name with and without 村 (李庄 / 李庄村);
- the same pinyin (严魏村 / 闫韦村) where the two would get the same web address: a pinyin
  keyboard offers both, and a village without a profile is addressed by its pinyin. A profile
  filed under another name (yanwei-dongzhuang.md) has told the two apart already;
- one character swapped for its look-alike from `LOOKALIKES` (裴塞村 / 裴寨村).

Any other name one character away (龙上村 / 岸上村) is a different village: published as new,
with a hint that names the county's similar villages.

A county's profiled names are read once into a `CountyNames` index (each name's pinyin
computed once), so comparing a story's village costs a few dictionary lookups however many
villages the county has.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .records import VillageProfile
from .slugs import base_name, pinyin_slug

# Characters mistaken for each other in Henan village names, each pair with why it is here.
# The first three are the ones issue 13 names; the rest were chosen by reading the shapes
# against place-name elements common in the province (寨, 洼, 营, 冢, 岗), not taken from an
# official list. A pair belongs here only when one side is common in village names and the
# other is a plausible slip of the pen or of handwriting recognition: every extra pair turns
# some real village into a refused "typo", so add with care and with a reason. Several pairs
# are homophones too, caught by pinyin as well; they are listed so that the table says what
# the rule means.
LOOKALIKE_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("杨", "扬", "杨 (surname: 杨庄, 杨楼) written with 扬's hand radical; same pinyin yang"),
    ("湾", "塆", "塆 names hamlets in 信阳 (田铺大塆) and is often written 湾, and back"),
    ("圪", "疙", "豫北 names 圪垱, 圪塔 written as in 疙瘩; same pinyin ge"),
    ("寨", "塞", "寨 ends hundreds of village names (裴寨村); 塞 differs by its bottom part"),
    ("寨", "赛", "the same 寨 with 贝 for its 木 at the bottom"),
    ("洼", "注", "洼 (low ground: 李洼, 王洼) has 圭 where 注 has 主"),
    ("营", "菅", "营 (李营, 军营村) differs from 菅 by one stroke group under 艹"),
    ("冢", "家", "冢 (burial mound: 冢头, 三冢) read as 家 under the 冖 / 宀 roof"),
    ("岗", "冈", "岗 (黄岗, 岗李) and its older form 冈; same pinyin gang"),
)
LOOKALIKES: frozenset[frozenset[str]] = frozenset(frozenset((a, b)) for a, b, _ in LOOKALIKE_PAIRS)


class Resemblance(enum.Enum):
    """How a name resembles a profiled village's name; the first three are typo signals."""

    SUFFIX = "with or without 村"
    HOMOPHONE = "same pinyin, so the profile's web address"
    LOOKALIKE = "look-alike character"
    # Another village, named in a hint: one character apart, or the same pinyin as a profile
    # with a web address of its own.
    SIMILAR = "similar"

    @property
    def typo(self) -> bool:
        return self is not Resemblance.SIMILAR


@dataclass(frozen=True)
class Match:
    profile: VillageProfile
    resemblance: Resemblance


class CountyNames:
    """The profiled village names of one county, indexed for comparing other names."""

    def __init__(self, profiles: Iterable[VillageProfile]) -> None:
        self._by_base: dict[str, list[VillageProfile]] = defaultdict(list)
        self._by_pinyin: dict[str, list[VillageProfile]] = defaultdict(list)
        # Each base with one character taken out, keyed with the position (a name with that
        # character changed) and without it (a name with any one character left out).
        self._by_gap: dict[tuple[int, str], list[tuple[VillageProfile, str]]] = defaultdict(list)
        self._by_shorter: dict[str, list[VillageProfile]] = defaultdict(list)
        for profile in profiles:
            base = base_name(profile.name)
            self._by_base[base].append(profile)
            pinyin = pinyin_slug(profile.name)
            if pinyin is not None:
                self._by_pinyin[pinyin].append(profile)
            for i in range(len(base)):
                shorter = base[:i] + base[i + 1 :]
                self._by_gap[(i, shorter)].append((profile, base[i]))
                self._by_shorter[shorter].append(profile)

    def compare(self, name: str, pinyin: str | None) -> list[Match]:
        """The profiles whose names resemble `name` (whose pinyin slug is `pinyin`), each with
        the strongest resemblance, typo signals first, then by name."""
        found: dict[VillageProfile, Match] = {}

        def add(profile: VillageProfile, resemblance: Resemblance) -> None:
            if profile.name == name:
                return
            known = found.get(profile)
            # A typo signal outweighs a mere likeness: 扬庄村 is still a slip for 杨庄村 even
            # when 杨庄村's profile has a web address of its own.
            if known is None or (resemblance.typo and not known.resemblance.typo):
                found[profile] = Match(profile, resemblance)

        base = base_name(name)
        for profile in self._by_base.get(base, ()):
            add(profile, Resemblance.SUFFIX)
        if pinyin is not None:
            for profile in self._by_pinyin.get(pinyin, ()):
                same_url = profile.slug == pinyin
                add(profile, Resemblance.HOMOPHONE if same_url else Resemblance.SIMILAR)
        for i in range(len(base)):
            shorter = base[:i] + base[i + 1 :]
            for profile, theirs in self._by_gap.get((i, shorter), ()):
                pair = frozenset((base[i], theirs))
                add(profile, Resemblance.LOOKALIKE if pair in LOOKALIKES else Resemblance.SIMILAR)
            # A character more than a profiled name (张家庄 / 张庄).
            for profile in self._by_base.get(shorter, ()):
                add(profile, Resemblance.SIMILAR)
        # A character fewer than a profiled name (张庄 / 张家庄).
        for profile in self._by_shorter.get(base, ()):
            add(profile, Resemblance.SIMILAR)
        return sorted(found.values(), key=lambda m: (not m.resemblance.typo, m.profile.name))
