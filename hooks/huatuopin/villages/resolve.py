"""Every story's village: profiles and the villages stories name, checked against each other.

A story naming a village one character away from a profile's, or whose village would share a
URL with another, is rejected here, with a problem that says how to settle it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from .. import urls
from ..gazetteer import Gazetteer
from ..models import Place, Story
from ..problems import Problem
from .profiles import ProfileResult, find_profile_sources, load_profile
from .records import PlaceKey, Village, VillageMap
from .slugs import one_character_apart, pinyin_slug

if TYPE_CHECKING:
    from ..catalog import Catalog


def resolve_villages(
    catalog: Catalog,
    project_root: Path,
    docs_dir: Path,
    gazetteer: Gazetteer,
    *,
    only: Path | None = None,
) -> None:
    """Load the profiles, give every story its village, and check they agree.

    With `only` (checking one story), profiles are read from that story's county folder just
    to check the story's village; their own problems belong to a full check.
    """
    if only is None:
        sources, problems = find_profile_sources(project_root, docs_dir)
        catalog.problems.extend(problems)
    else:
        places = [s.place for s in catalog.stories] + [p for _, _, p in catalog.rejected_places]
        folders = {(place.city_slug, place.county_slug) for place in places}
        sources, _ = find_profile_sources(project_root, docs_dir, folders)
    results = [load_profile(project_root, path, docs_dir, gazetteer) for path in sources]
    profiles: dict[PlaceKey, ProfileResult] = {}
    for result in results:
        if only is None:
            catalog.hints.extend(result.hints)
        profile = result.profile
        if profile is not None and profile.key in profiles:
            first = profiles[profile.key]
            where = (
                profile.city if profile.county == profile.city else profile.city + profile.county
            )
            result.problems.append(
                Problem(
                    result.source_path,
                    result.name_line,
                    "name",
                    f"和 {first.source_path}:{first.name_line} 写的是同一个村"
                    f"（{where}{profile.name}）；一个村只能有一份村庄资料，请把两份合并，删除这一份",
                )
            )
            result.profile = None
        elif profile is not None:
            profiles[profile.key] = result
        if result.problems and only is None:
            catalog.problems.extend(result.problems)
            catalog.rejected.append(result.source_path)

    villages = VillageMap()
    for result in profiles.values():
        profile = result.profile
        assert profile is not None
        villages[profile.key] = Village(
            city=profile.city,
            county=profile.county,
            name=profile.name,
            city_slug=profile.city_slug,
            county_slug=profile.county_slug,
            slug=profile.slug,
            township=profile.township,
            profile=profile,
        )

    by_key: dict[PlaceKey, list[Story]] = defaultdict(list)
    for story in catalog.stories:
        by_key[story.place.key].append(story)
    rejected: set[str] = set()

    # Stories naming a village that has no profile, while one a character apart has.
    story_only: dict[PlaceKey, list[Story]] = {}
    for key, stories in sorted(by_key.items()):
        if key in villages:
            continue
        city, county, name = key
        near = sorted(
            v.name for v in villages.in_county(city, county) if one_character_apart(name, v.name)
        )
        if not near:
            story_only[key] = stories
            continue
        message = _near_miss_message(stories[0].place, near)
        for story in stories:
            _reject(catalog, rejected, story, story.village_line, message)
    # A story rejected for other mistakes hears about its village now too, not on the next try.
    for source_path, line, place in catalog.rejected_places:
        if place.key in villages:
            continue
        near = sorted(
            v.name
            for v in villages.in_county(place.city, place.county)
            if one_character_apart(place.village, v.name)
        )
        if near:
            catalog.problems.append(
                Problem(source_path, line, "village", _near_miss_message(place, near))
            )

    # Slugs: every village without a profile gets the pinyin of its name, unless that is taken.
    taken: dict[tuple[str, str, str], Village] = {
        (v.city_slug, v.county_slug, v.slug): v for v in villages.values()
    }
    wanted: dict[tuple[str, str, str], list[PlaceKey]] = defaultdict(list)
    for key, stories in story_only.items():
        place = stories[0].place
        slug = pinyin_slug(key[2])
        folder = f"docs/villages/{place.city_slug}/{place.county_slug}/"
        if slug is None:
            for story in stories:
                _reject(
                    catalog,
                    rejected,
                    story,
                    story.village_line,
                    f"无法从村名“{key[2]}”生成网址；请为这个村建一份村庄资料，"
                    f"放在 {folder}，文件名（小写拼音）就是它的网址",
                )
            continue
        wanted[(place.city_slug, place.county_slug, slug)].append(key)
    for slug_key, keys in sorted(wanted.items()):
        city_slug, county_slug, slug = slug_key
        url = "/" + urls.village(city_slug, county_slug, slug)
        folder = f"docs/villages/{city_slug}/{county_slug}/"
        holder = taken.get(slug_key)
        if holder is None and len(keys) == 1:
            key = keys[0]
            stories = by_key[key]
            villages[key] = Village(
                city=key[0],
                county=key[1],
                name=key[2],
                city_slug=city_slug,
                county_slug=county_slug,
                slug=slug,
                township=_common_township(stories),
            )
            continue
        for key in keys:
            if holder is not None:
                assert holder.profile is not None
                others = f"“{holder.name}”（{holder.profile.source_path}）"
            else:
                others = "、".join(
                    f"“{k[2]}”（{by_key[k][0].source_path}:{by_key[k][0].village_line}）"
                    for k in keys
                    if k != key
                )
            for story in by_key[key]:
                _reject(
                    catalog,
                    rejected,
                    story,
                    story.village_line,
                    f"“{key[2]}”的网址 {url} 和{others}重复；"
                    "如果是同一个村，请统一 village 的写法；"
                    f"如果是两个村，请为“{key[2]}”建一份村庄资料，放在 {folder}，"
                    "另取一个文件名（文件名就是网址）",
                )

    if rejected:
        catalog.stories = [s for s in catalog.stories if s.source_path not in rejected]
    for story in sorted(catalog.stories, key=lambda s: s.sort_key, reverse=True):
        village = villages.get(story.place.key)
        if village is not None:
            village.stories.append(story)
    catalog.villages = villages


def _reject(catalog: Catalog, rejected: set[str], story: Story, line: int, message: str) -> None:
    catalog.problems.append(Problem(story.source_path, line, "village", message))
    if story.source_path not in rejected:
        rejected.add(story.source_path)
        catalog.rejected.append(story.source_path)


def _near_miss_message(place: Place, near: list[str]) -> str:
    guess = "或".join(f"“{n}”" for n in near)
    folder = f"docs/villages/{place.city_slug}/{place.county_slug}/"
    return (
        f"{place.county}没有叫“{place.village}”的村庄资料；是不是想写{guess}？"
        f"如果确实是另一个村，请在 {folder} 为“{place.village}”建一份村庄资料"
    )


def _common_township(stories: list[Story]) -> str | None:
    counts = Counter(s.place.township for s in stories if s.place.township)
    if not counts:
        return None
    return min(counts, key=lambda t: (-counts[t], t))
