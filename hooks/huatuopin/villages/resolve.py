"""Every story's village: profiles and the villages stories name, checked against each other.

A pure step of resolution: given the valid profiles and the stories that can be published, it
gives every story its `Village`, or rejects it with a problem that says how to settle it (a
name that looks like a typo of a profiled village's, see `names`, or two villages that would
share a URL). A new village one character away from a profiled one is published, with a hint.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .. import urls
from ..models import CheckedStory, Place, VillageKey
from ..problems import Problem
from .names import CountyNames, Match
from .records import RejectedPlace, Village, VillageProfile
from .slugs import pinyin_slug

VILLAGE_FIELD = "village"
# How many of a county's similar villages a hint names.
HINT_NAMES = 3


@dataclass(frozen=True)
class VillageResolution:
    villages: tuple[Village, ...]
    village_of: dict[str, Village]  # story source path → its village
    problems: tuple[Problem, ...]
    rejected: tuple[str, ...]  # story source paths, each with at least one problem
    # `path:line: village: …` of new villages published beside a similar profiled one.
    hints: tuple[str, ...] = ()


def resolve_villages(
    profiles: Sequence[VillageProfile],
    stories: Sequence[CheckedStory],
    rejected_places: Iterable[RejectedPlace] = (),
) -> VillageResolution:
    """Give every story its village: the profile's, or one made from the name the stories
    give it. Stories whose village does not check out are rejected."""
    villages: dict[VillageKey, Village] = {
        profile.key: Village(profile.place, profile.slug, profile) for profile in profiles
    }
    in_county: dict[tuple[str, str], list[VillageProfile]] = defaultdict(list)
    for profile in profiles:
        in_county[profile.place.area.key].append(profile)
    # Indexed when a county first has a village to compare: each profile's pinyin read once.
    county_names: dict[tuple[str, str], CountyNames] = {}

    def resembling(place: Place, slug: str | None) -> list[Match]:
        area = place.area.key
        if area not in in_county:
            return []
        if area not in county_names:
            county_names[area] = CountyNames(in_county[area])
        return county_names[area].compare(place.village, slug)

    by_key: dict[VillageKey, list[CheckedStory]] = defaultdict(list)
    for story in stories:
        by_key[story.place.key].append(story)
    problems: list[Problem] = []
    rejected: dict[str, None] = {}  # ordered set

    def reject(story: CheckedStory, message: str, involves: Iterable[str] = ()) -> None:
        problems.append(
            Problem(
                story.source_path,
                story.village_line,
                VILLAGE_FIELD,
                message,
                involves=tuple(sorted(set(involves))),
            )
        )
        rejected[story.source_path] = None

    # Stories naming a village that has no profile, while the county has one whose name it
    # looks like a typo of; one merely similar is another village, told in a hint.
    story_only: dict[VillageKey, list[CheckedStory]] = {}
    slug_of: dict[VillageKey, str | None] = {}
    similar_to: dict[VillageKey, list[VillageProfile]] = {}
    for key, named in sorted(by_key.items()):
        if key in villages:
            continue
        slug_of[key] = slug = pinyin_slug(key.village)
        matches = resembling(named[0].place, slug)
        typos = [m.profile for m in matches if m.resemblance.typo]
        if not typos:
            story_only[key] = named
            similar_to[key] = [m.profile for m in matches]
            continue
        message = _near_miss_message(named[0].place, typos, slug)
        for story in named:
            reject(story, message, (p.source_path for p in typos))
    for rejected_place in rejected_places:
        if rejected_place.place.key in villages:
            continue
        slug = pinyin_slug(rejected_place.place.village)
        typos = [m.profile for m in resembling(rejected_place.place, slug) if m.resemblance.typo]
        if typos:
            problems.append(
                Problem(
                    rejected_place.source_path,
                    rejected_place.line,
                    VILLAGE_FIELD,
                    _near_miss_message(rejected_place.place, typos, slug),
                    involves=tuple(sorted(p.source_path for p in typos)),
                )
            )

    # Slugs: every village without a profile gets the pinyin of its name, unless that is taken.
    taken = {(v.city_slug, v.county_slug, v.slug): v for v in villages.values()}
    wanted: dict[tuple[str, str, str], list[VillageKey]] = defaultdict(list)
    for key, named in story_only.items():
        place = named[0].place
        slug = slug_of[key]
        if slug is None:
            folder = f"docs/villages/{place.city_slug}/{place.county_slug}/"
            for story in named:
                reject(
                    story,
                    f"无法从村名“{key.village}”生成网址；请为这个村建一份村庄资料，"
                    f"放在 {folder}，文件名（小写拼音）就是它的网址",
                )
            continue
        wanted[(place.city_slug, place.county_slug, slug)].append(key)
    for slug_key, keys in sorted(wanted.items()):
        holder = taken.get(slug_key)
        if holder is None and len(keys) == 1:
            named = by_key[keys[0]]
            place = Place(named[0].place.area, keys[0].village, _common_township(named))
            villages[keys[0]] = Village(place, slug_key[2])
            continue
        for key in keys:
            if holder is not None:
                assert holder.profile is not None
                others = f"“{holder.name}”（{holder.profile.source_path}）"
                involved = [holder.profile.source_path]
            else:
                firsts = [by_key[k][0] for k in keys if k != key]
                others = "、".join(
                    f"“{s.place.village}”（{s.source_path}:{s.village_line}）" for s in firsts
                )
                involved = [s.source_path for k in keys if k != key for s in by_key[k]]
            for story in by_key[key]:
                reject(story, _slug_clash_message(key, slug_key, others), involved)

    village_of = {
        story.source_path: villages[story.place.key]
        for story in stories
        if story.source_path not in rejected
    }
    used = {village.key for village in village_of.values()}
    # A village is on the site when it has a profile or a published story names it.
    kept = tuple(v for key, v in villages.items() if v.profile is not None or key in used)
    # Once per new village, at its first story: every story repeating it would only be noise.
    hints: list[str] = []
    for key, similar in similar_to.items():
        if similar and key in used:
            first = min(by_key[key], key=lambda story: story.source_path)
            hint = _new_village_hint(first.place, similar)
            hints.append(f"{first.source_path}:{first.village_line}: {VILLAGE_FIELD}: {hint}")
    return VillageResolution(kept, village_of, tuple(problems), tuple(rejected), tuple(hints))


def _near_miss_message(place: Place, near: list[VillageProfile], slug: str | None) -> str:
    guess = "或".join(f"“{p.name}”" for p in near)
    folder = f"docs/villages/{place.city_slug}/{place.county_slug}/"
    asked = f"{place.county}没有叫“{place.village}”的村庄资料；是不是想写{guess}？"
    holder = next((p for p in near if p.slug == slug), None)
    if slug is None or holder is None:
        return asked + f"如果确实是另一个村，请在 {folder} 为“{place.village}”建一份村庄资料"
    # A homophone (or the same name with 村) would be given the profile's own URL.
    url = urls.village(place.city_slug, place.county_slug, slug)
    return asked + (
        f"如果确实是另一个村：没有村庄资料的村按村名拼音取网址，“{place.village}”会是 /{url}，"
        f"和“{holder.name}”（{holder.source_path}）的网址相同，网站分不开这两个村；"
        f"请在 {folder} 为“{place.village}”建一份村庄资料，文件名另取一个"
        f"（文件名就是网址，例如 {slug}-<乡镇拼音>.md）"
    )


def _new_village_hint(place: Place, similar: list[VillageProfile]) -> str:
    names = "、".join(f"“{p.name}”" for p in similar[:HINT_NAMES])
    if len(similar) > HINT_NAMES:
        names += f"等 {len(similar)} 个村"
    return (
        f"{place.county}的“{place.village}”还没有村庄资料，按新村庄发布（本县已有{names}）；"
        "如果是写错了村名，请改成已有的村名"
    )


def _slug_clash_message(key: VillageKey, slug_key: tuple[str, str, str], others: str) -> str:
    city_slug, county_slug, slug = slug_key
    folder = f"docs/villages/{city_slug}/{county_slug}/"
    return (
        f"“{key.village}”的网址 /{urls.village(city_slug, county_slug, slug)} 和{others}重复；"
        "如果是同一个村，请统一 village 的写法；"
        f"如果是两个村，请为“{key.village}”建一份村庄资料，放在 {folder}，"
        "另取一个文件名（文件名就是网址）"
    )


def _common_township(stories: list[CheckedStory]) -> str | None:
    counts = Counter(s.place.township for s in stories if s.place.township)
    if not counts:
        return None
    return min(counts, key=lambda t: (-counts[t], t))
