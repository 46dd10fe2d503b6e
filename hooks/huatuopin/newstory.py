"""Scaffolding a new story folder from a contributor's answers."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import secrets
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from string import Template

import yaml
from pypinyin import lazy_pinyin

from .fields import FieldReader
from .gazetteer import load_gazetteer
from .places import read_city_county
from .problems import Problem
from .project import Project
from .settings import CampaignSettings
from .stories import MAX_TITLE_CHARS
from .vocab import ACTIVITY_BY_NAME, AUTHOR_ROLES, FORMS

TEMPLATE = Path(__file__).parent / "data" / "new-story.md.tmpl"


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    hint: str = ""
    optional: bool = False


QUESTIONS: tuple[Question, ...] = (
    Question("title", "标题", f"最多 {MAX_TITLE_CHARS} 个字"),
    Question("date", "采访日期", "写成 YYYY-MM-DD，例如 2021-03-12；文件夹名也用这个日期"),
    Question("city", "省辖市", "例如 开封市"),
    Question("county", "县（市、区）", "例如 兰考县；济源示范区再写一次济源示范区"),
    Question("township", "乡镇", "例如 东坝头镇", optional=True),
    Question("village", "村", "例如 张庄村"),
    Question("activity", "活动类型", "、".join(ACTIVITY_BY_NAME)),
    Question("form", "作品形式", "、".join(FORMS)),
    Question("author", "作者姓名"),
    Question("role", "作者身份", "、".join(AUTHOR_ROLES)),
    Question("org", "作者单位", "例如 开封日报", optional=True),
)


@dataclass(frozen=True)
class StoryAnswers:
    title: str
    date: dt.date
    city: str
    county: str
    township: str
    village: str
    activity: str
    form: str
    author: str
    role: str
    org: str
    slug: str

    @classmethod
    def from_values(cls, values: dict[str, str], slug: str | None = None) -> StoryAnswers:
        return cls(
            title=values["title"],
            date=dt.date.fromisoformat(values["date"]),
            city=values["city"],
            county=values["county"],
            township=values.get("township", ""),
            village=values["village"],
            activity=values["activity"],
            form=values["form"],
            author=values["author"],
            role=values["role"],
            org=values.get("org", ""),
            slug=slug or slug_for(values["village"]),
        )


def slug_for(name: str) -> str:
    """Lower-case ASCII pinyin of a Chinese name, for the folder name."""
    words = lazy_pinyin(name)
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(words).lower()).strip("-")
    return slug or "gaojian"


def check_answers(values: dict[str, str], settings: CampaignSettings) -> dict[str, str]:
    """The same checks the build runs on these fields, keyed by question."""
    problems: list[Problem] = []
    data: dict[str, object] = {k: v for k, v in values.items() if v}
    with contextlib.suppress(ValueError):  # a malformed date stays text and is reported
        data["date"] = dt.date.fromisoformat(values.get("date", ""))
    reader = FieldReader("", data, {}, 0, problems)
    reader.text("title", max_chars=MAX_TITLE_CHARS)
    reader.date_within("date", settings.start, settings.end)
    read_city_county(reader, load_gazetteer(), [])
    reader.text("village")
    reader.choice("activity", ACTIVITY_BY_NAME, "活动类型")
    reader.choice("form", FORMS, "作品形式")
    reader.text("author")
    reader.choice("role", AUTHOR_ROLES, "作者身份")
    return {problem.field: problem.message for problem in problems}


_NEEDS_QUOTES = re.compile(r"[:#\[\]{},&*!|>'\"%@`]|^\s|\s$")


def _yaml_text(value: str) -> str:
    """A YAML scalar for any answer: plain when YAML reads it back as the same text,
    else a JSON string (valid YAML) that quotes what needs it."""
    if not _NEEDS_QUOTES.search(value) and yaml.safe_load(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)


# Lines of the template that the desk's extras go at (render_draft).
SUMMARY_ANCHOR = "\nsummary:\n"
MEDIA_ANCHOR = "# 草稿："
BODY_HINT = (
    "（请在这里写正文。用空行分段，用“## 小标题”分节。写完后删掉这一行，再运行 make check 检查。）"
)
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class StoryExtras:
    """What the submission desk's form adds to new-story's answers; `render_draft` writes
    every value as the contributor typed it, so validation reports what is wrong at its line."""

    summary: str = ""
    more_authors: tuple[Mapping[str, str], ...] = ()  # name, role, org after the first
    cover: str = ""
    pairs: tuple[Mapping[str, str], ...] = ()  # the keys of PAIR_FIELDS
    videos: tuple[Mapping[str, str], ...] = ()  # file, caption
    audios: tuple[Mapping[str, str], ...] = ()  # file, caption
    consent: bool | None = None  # None: not answered yet
    body: str = ""


def render_index(answers: StoryAnswers, settings: CampaignSettings) -> str:
    values = {
        "title": answers.title,
        "date": answers.date.isoformat(),
        "activity": answers.activity,
        "city": answers.city,
        "county": answers.county,
        "township": answers.township,
        "village": answers.village,
        "form": answers.form,
        "author": answers.author,
        "role": answers.role,
        "org": answers.org,
    }
    return render_draft(values, StoryExtras(), settings)


def render_draft(values: Mapping[str, str], extras: StoryExtras, settings: CampaignSettings) -> str:
    """The new-story template filled in from answers that may be incomplete or wrong.

    The extras go in at the template's own lines (`ANCHORS`), so the template stays what
    `make new-story` writes and what a contributor reads.
    """
    template = Template(TEMPLATE.read_text(encoding="utf-8"))
    org = values.get("org", "")
    org_line = f"    org: {_value(org)}" if org.strip() else "    # org: 所在单位"
    date = values.get("date", "")
    with contextlib.suppress(ValueError):
        date = dt.date.fromisoformat(date).isoformat()
    text = template.substitute(
        title=_value(values.get("title", "")),
        window=f"{settings.start} 至 {settings.end}",
        date=_value(date, raw=_is_date(date)),
        activity=_value(values.get("activity", "")),
        city=_value(values.get("city", "")),
        county=_value(values.get("county", "")),
        township=_value(values.get("township", "")),
        village=_value(values.get("village", "")),
        form=_value(values.get("form", "")),
        author=_value(values.get("author", "")),
        role=_value(values.get("role", "")),
        org_line=org_line,
    )
    pair_keys = ("before", "after", "before_year", "after_year", "theme", "caption")
    media = "".join(
        (
            _line("cover", extras.cover),
            _items("pairs", extras.pairs, pair_keys),
            _items("videos", extras.videos, ("file", "caption")),
            _items("audios", extras.audios, ("file", "caption")),
            "" if extras.consent is None else f"consent: {'true' if extras.consent else 'false'}\n",
        )
    )
    authors_end = f"\n{org_line}\n"
    more = _items("", extras.more_authors, ("name", "role", "org"))
    insertions = (
        (authors_end, authors_end + more.lstrip("\n") + ("\n" if more else "")),
        (
            SUMMARY_ANCHOR,
            f"\nsummary: {_value(extras.summary)}\n" if extras.summary.strip() else "",
        ),
        (MEDIA_ANCHOR, media + MEDIA_ANCHOR),
        (BODY_HINT, extras.body.strip()),
    )
    for anchor, replacement in insertions:
        if replacement and anchor != replacement:
            assert text.count(anchor) == 1, anchor  # the template's lines, each once
            text = text.replace(anchor, replacement)
    return text


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _value(text: str, *, raw: bool = False) -> str:
    text = text.strip()
    if not text or raw:
        return text
    try:
        return _yaml_text(text)
    except yaml.YAMLError:  # text YAML cannot even parse ("a\n---\nb") is quoted as JSON
        return json.dumps(text, ensure_ascii=False)


def _line(key: str, value: str) -> str:
    return f"{key}: {_value(value)}\n" if value.strip() else ""


def _items(key: str, items: tuple[Mapping[str, str], ...], keys: tuple[str, ...]) -> str:
    """A YAML list of mappings; `key` empty continues the list above (more authors)."""
    if not items:
        return ""
    lines = [f"{key}:"] if key else []
    for item in items:
        entries = [(k, item.get(k, "").strip()) for k in keys]
        entries = [(k, v) for k, v in entries if v or k not in ("org",)]
        for number, (k, v) in enumerate(entries):
            text = v if k.endswith("_year") and _YEAR.fullmatch(v) else _value(v)
            lead = "  - " if number == 0 else "    "
            lines.append(f"{lead}{k}: {text}".rstrip())
    return ("\n" if not key else "") + "\n".join(lines) + ("\n" if key else "")


def create_story(project: Project, answers: StoryAnswers) -> Path:
    """Create `docs/stories/<date>-<slug>/index.md`; never overwrites an existing folder.

    The folder is named by the interview date (`date`), not the day the command runs: the
    name is the story's permanent URL, and a reporter often writes up days later. It is
    written under a hidden name and renamed into place, so an interruption (Ctrl-C, a full
    disk) leaves no half-made story for the build to trip over.
    """
    stem = f"{answers.date.isoformat()}-{answers.slug}"
    project.stories_dir.mkdir(parents=True, exist_ok=True)
    # Hidden, so the build and `make check` pass over it; mkdir (not mkdtemp, which makes it
    # private to this user) so the story folder gets the usual permissions.
    staging = project.stories_dir / f".new-story-{secrets.token_hex(6)}"
    staging.mkdir()
    try:
        (staging / "index.md").write_text(render_index(answers, project.settings), encoding="utf-8")
        folder = project.stories_dir / stem
        number = 2
        while folder.exists() or folder.is_symlink():
            folder = project.stories_dir / f"{stem}-{number}"
            number += 1
        staging.rename(folder)
        return folder / "index.md"
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
