"""Writes a troupe (members.yml and schedule files) into a test's tmp_path and loads it.

Talks are written one field a line, speakers and stories as block lists, so each field has a
line of its own; `Written.line(path, text)` finds a line by its text, so a test names the text
it means rather than a magic number. Values are raw YAML: `start='"09:30"'` or `start="10:30"`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huatuopin.gazetteer import load_gazetteer
from huatuopin.models import Area, Author, Place, Story, VillageKey
from huatuopin.problems import Problem
from huatuopin.settings import CampaignSettings
from huatuopin.troupe.loading import load_troupe
from huatuopin.troupe.models import Troupe
from huatuopin.troupe.resolve import Publishable, resolve_talks
from huatuopin.villages.records import Village
from huatuopin.villages.slugs import pinyin_slug
from sitekit import line_of

MEMBERS: list[dict[str, str]] = [
    {
        "id": "wang-xiaohong",
        "name": "王小红",
        "category": "驻村第一书记",
        "unit": "兰考县农业农村局",
        "city": "开封市",
        "bio": "在张庄村驻村四年。",
    },
    {
        "id": "li-jianguo",
        "name": "李建国",
        "category": "优秀扶贫干部",
        "unit": "辉县市扶贫办",
        "city": "新乡市",
        "bio": "讲山区修路的故事。",
    },
    {
        "id": "zhao-tiezhu",
        "name": "赵铁柱",
        "category": "文艺工作者",
        "unit": "兰考县文化馆",
        "city": "开封市",
        "bio": "快板书演员。",
    },
]

STORY_FOLDER = "2021-03-12-zhangzhuang-guangfu"
VILLAGES = {("开封市", "兰考县", "张庄村"), ("新乡市", "辉县市", "裴寨村")}


def talk(talk_id: str, **fields: Any) -> dict[str, Any]:
    """A valid talk at 张庄村 on 2021-03-12, 09:30–10:30, with the given fields replaced.

    A value of None leaves the field out; lists are written as block lists.
    """
    base: dict[str, Any] = {
        "id": talk_id,
        "date": "2021-03-12",
        "start": '"09:30"',
        "end": '"10:30"',
        "city": "开封市",
        "county": "兰考县",
        "village": "张庄村",
        "venue": "村委会广场",
        "speakers": ["wang-xiaohong"],
        "title": "张庄的变化",
        "form": "微宣讲",
        "status": "计划",
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def talks_yaml(talks: Iterable[Mapping[str, Any]]) -> str:
    out = ["# 测试日程"]
    for item in talks:
        out.append("")
        first = True
        for key, value in item.items():
            lead = "- " if first else "  "
            first = False
            if isinstance(value, list):
                out.append(f"{lead}{key}:")
                out += [f"    - {entry}" for entry in value]
            else:
                out.append(f"{lead}{key}: {value}")
    return "\n".join(out) + "\n"


def members_yaml(members: Iterable[Mapping[str, Any]]) -> str:
    return talks_yaml(members).replace("# 测试日程", "# 测试成员")


@dataclass
class Written:
    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    def text(self, rel_path: str) -> str:
        return (self.root / rel_path).read_text(encoding="utf-8")

    def line(self, rel_path: str, needle: str, occurrence: int = 1) -> int:
        """1-based line of the `occurrence`-th line containing `needle`."""
        return line_of(self.text(rel_path), needle, occurrence)


def write(
    root: Path,
    schedules: Mapping[str, Iterable[Mapping[str, Any]] | str],
    *,
    members: Iterable[Mapping[str, Any]] | str | None = None,
) -> Written:
    """docs/troupe/members.yml (MEMBERS unless given) and docs/troupe/schedule/<name>."""
    troupe = root / "docs" / "troupe"
    (troupe / "schedule").mkdir(parents=True, exist_ok=True)
    members = MEMBERS if members is None else members
    text = members if isinstance(members, str) else members_yaml(members)
    (troupe / "members.yml").write_text(text, encoding="utf-8")
    for name, talks in schedules.items():
        text = talks if isinstance(talks, str) else talks_yaml(talks)
        (troupe / "schedule" / name).write_text(text, encoding="utf-8")
    return Written(root)


def fake_village(city: str, county: str, name: str) -> Village:
    """A village with a page, as the Catalog would have it (slugs from the gazetteer)."""
    match = load_gazetteer().county(city, county)
    assert match is not None, (city, county)
    city_slug = load_gazetteer().cities[city].slug
    area = Area(city, match.county.name, city_slug, match.county.slug)
    slug = pinyin_slug(name)
    assert slug is not None, name
    return Village(Place(area, name), slug)


def fake_story(folder: str = STORY_FOLDER, village: str = "张庄村") -> Story:
    place = Place(Area("开封市", "兰考县", "kaifeng", "lankao"), village, "东坝头镇")
    return Story(
        folder=folder,
        source_path=f"docs/stories/{folder}/index.md",
        src_uri=f"stories/{folder}/index.md",
        title="张庄的光伏板，晒出了好日子",
        date=dt.date(2021, 3, 12),
        activity="入户访",
        place=place,
        form="文章",
        authors=(Author("王小红", "媒体记者"),),
        summary="光伏。",
        village=fake_village("开封市", "兰考县", village),
    )


@dataclass
class Loaded:
    """The troupe as validated and resolved against the given stories and villages."""

    troupe: Troupe
    problems: tuple[Problem, ...]
    hints: tuple[str, ...]


def load(
    written: Written,
    *,
    buffer: int = 60,
    stories: Iterable[Story] | None = None,
    villages: set[tuple[str, str, str]] | None = None,
) -> Loaded:
    """Validate the troupe, then resolve its talks as the Catalog does: against `stories`
    (published) and `villages` (with a page); every story folder under docs/stories/ exists."""
    settings = CampaignSettings(travel_buffer_minutes=buffer)
    checked = load_troupe(written.root, written.docs, settings, load_gazetteer())
    published = [fake_story()] if stories is None else list(stories)
    keys = VILLAGES if villages is None else villages
    on_disk = {
        path.parent.name: path.relative_to(written.root).as_posix()
        for path in (written.docs / "stories").glob("*/index.md")
    }
    publishable = Publishable(
        members={member.id: member for member in checked.members},
        member_ids=checked.member_ids,
        villages={VillageKey(*key): fake_village(*key) for key in keys},
        stories={story.folder: story for story in published},
        story_sources={**on_disk, **{s.folder: s.source_path for s in published}},
        withheld_villages={},
    )
    resolved = resolve_talks(checked.talks, publishable)
    return Loaded(
        Troupe(checked.members, resolved.talks),
        (*checked.problems, *resolved.problems),
        checked.hints,
    )


def only_problem(result: Loaded) -> Problem:
    assert len(result.problems) == 1, "\n".join(map(str, result.problems))
    return result.problems[0]


def talk_ids(result: Loaded) -> list[str]:
    return [t.id for t in result.troupe.talks]
