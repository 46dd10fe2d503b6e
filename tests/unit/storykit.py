"""Writes story folders into a test's tmp_path and loads them the way the build does.

A test starts from one valid story (`BASE_FRONT_MATTER` + `BASE_BODY`), changes what it is
about, and asserts the exact place of each problem. Line numbers are read back from the
written text (`WrittenStory.line`), so a test names the text it means, not a magic number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from huatuopin import safehtml
from huatuopin.catalog import Catalog, build_catalog
from huatuopin.gazetteer import load_gazetteer
from huatuopin.problems import Problem
from huatuopin.settings import CampaignSettings
from huatuopin.stories import StoryResult, load_story
from sitekit import line_of

DEFAULT_FOLDER = "2021-03-12-zhangzhuang"
OVERRIDES = Path(__file__).resolve().parents[2] / "overrides"

# A valid story without media, in the field order of the content contract (DESIGN.md).
BASE_FRONT_MATTER: dict[str, Any] = {
    "title": "从土坯房到小楼房",
    "date": dt.date(2021, 3, 12),
    "activity": "回村看",
    "city": "开封市",
    "county": "兰考县",
    "township": "东坝头镇",
    "village": "张庄村",
    "form": "文章",
    "authors": [{"name": "王小红", "role": "媒体记者", "org": "开封日报"}],
    "summary": "驻村工作队陪老党员算了一笔收入账。",
    "tags": ["光伏", "合作社"],
}

BASE_BODY = """三月的东坝头，黄河故道边的风还带着凉意。

## 一张纸上的收入账

堂屋的八仙桌上，工作队员摊开入户访登记表，和老人一笔一笔地算。

临走时，老人说：“党的政策好，咱自己也得使劲干。”
"""


class _Delete:
    """Marks a field that an override removes from the base story."""

    def __repr__(self) -> str:
        return "DELETE"


DELETE: Any = _Delete()

# A few bytes are enough: validation checks where media files are, not what is in them.
FAKE_JPEG = b"\xff\xd8\xff\xe0fake-jpeg\xff\xd9"


class _StoryDumper(yaml.SafeDumper):
    """Block-style YAML with list items indented under their key, as contributors write it."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def front_matter(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The base front-matter with `overrides` applied (`DELETE` removes a field)."""
    return with_overrides(BASE_FRONT_MATTER, overrides)


def with_overrides(
    base: Mapping[str, Any], overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """`base` with `overrides` applied (`DELETE` removes a field)."""
    data = dict(base)
    for key, value in (overrides or {}).items():
        if value is DELETE:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def render(data: Mapping[str, Any], body: str = BASE_BODY) -> str:
    yaml_text = yaml.dump(
        dict(data),
        Dumper=_StoryDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )
    return f"---\n{yaml_text}---\n\n{body}"


@dataclass
class WrittenStory:
    """A story folder on disk under `root` (the project root of the test)."""

    root: Path
    folder: Path

    @property
    def index(self) -> Path:
        return self.folder / "index.md"

    @property
    def rel(self) -> str:
        """The path problems name: relative to the project root, forward slashes."""
        return self.index.relative_to(self.root).as_posix()

    @property
    def folder_rel(self) -> str:
        """The folder as `make check STORY=…` names it."""
        return self.folder.relative_to(self.root).as_posix()

    @property
    def text(self) -> str:
        return self.index.read_text(encoding="utf-8")

    def line(self, needle: str, occurrence: int = 1) -> int:
        """The 1-based line of the `occurrence`-th line containing `needle`."""
        return line_of(self.text, needle, occurrence)

    def add_file(self, name: str, content: bytes = FAKE_JPEG) -> Path:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return path

    def load(self) -> StoryResult:
        return load_story(self.root, self.index, CampaignSettings(), load_gazetteer())


def stories_dir(root: Path) -> Path:
    return root / "docs" / "stories"


def write_story(
    root: Path,
    overrides: Mapping[str, Any] | None = None,
    body: str = BASE_BODY,
    *,
    folder: str = DEFAULT_FOLDER,
    files: Mapping[str, bytes] | None = None,
) -> WrittenStory:
    """The base story with `overrides` and `body`, plus media `files`, under `folder`."""
    return write_raw(root, render(front_matter(overrides), body), folder=folder, files=files)


def write_raw(
    root: Path,
    content: str | bytes,
    *,
    folder: str = DEFAULT_FOLDER,
    files: Mapping[str, bytes] | None = None,
) -> WrittenStory:
    """A story whose index.md is exactly `content` (text is written as UTF-8)."""
    story = WrittenStory(root, stories_dir(root) / folder)
    story.folder.mkdir(parents=True, exist_ok=True)
    raw = content.encode("utf-8") if isinstance(content, str) else content
    story.index.write_bytes(raw)
    for name, data in (files or {}).items():
        story.add_file(name, data)
    return story


def load(
    root: Path, overrides: Mapping[str, Any] | None = None, body: str = BASE_BODY
) -> tuple[WrittenStory, StoryResult]:
    """Write the base story with `overrides` and `body`, and load it."""
    story = write_story(root, overrides, body)
    return story, story.load()


def catalog(root: Path, *, include_drafts: bool = False) -> Catalog:
    return build_catalog(root, root / "docs", CampaignSettings(), include_drafts=include_drafts)


def only_one(problems: list[Problem]) -> Problem:
    """The single problem of a list; fails listing all of them otherwise."""
    assert len(problems) == 1, problems_text(problems)
    return problems[0]


def only_problem(result: StoryResult) -> Problem:
    """The single problem of a loaded story."""
    return only_one(result.problems)


def problems_text(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems) or "(no problems)"


def template_env() -> jinja2.Environment:
    """Our templates, autoescaped as the build has them (`build_views` renders the standalone
    ones: redirect pages)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(OVERRIDES))
    return safehtml.autoescape_overrides(env, OVERRIDES)
