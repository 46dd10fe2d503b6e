"""Loading and validating one story folder: `docs/stories/<folder>/index.md` plus its media."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import urls
from .fields import FieldReader
from .gazetteer import Gazetteer
from .media.check import story_media
from .mediapaths import body_image_references, media_message
from .models import Audio, Author, Pair, Place, Story, Video
from .personaldata import find_personal_data, front_matter_problems
from .places import read_city_county
from .plaintext import invalid_character_lines
from .problems import Problem
from .settings import CampaignSettings
from .sourcefile import SourceError, read_markdown
from .textscan import find_unsafe_html
from .vocab import ACTIVITY_BY_NAME, AUTHOR_ROLES, FORMS, PAIR_THEMES

STORY_FIELDS = (
    "title",
    "date",
    "activity",
    "city",
    "county",
    "township",
    "village",
    "form",
    "authors",
    "summary",
    "cover",
    "pairs",
    "videos",
    "audios",
    "tags",
    "consent",
    "draft",
    "sample",
)
AUTHOR_FIELDS = ("name", "role", "org")
PAIR_FIELDS = ("before", "after", "before_year", "after_year", "theme", "caption")
VIDEO_FIELDS = ("file", "caption", "subtitles")
AUDIO_FIELDS = ("file", "caption")

MAX_TITLE_CHARS = 60
MAX_SUMMARY_CHARS = 120
FOLDER_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")
# `make new-story` writes this into a new story's body; publishing it unchanged is a mistake.
BODY_PLACEHOLDER = "（请在这里写正文"
BODY_FIELD = "正文"
FOLDER_FIELD = "文件夹名"


@dataclass
class StoryResult:
    """A story folder after validation: the record when it is valid, and what was found."""

    source_path: str
    story: Story | None
    problems: list[Problem] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    draft: bool = False
    media: Any = None  # media.records.StoryMedia: the story's media files, by field and line
    # The place, when its own fields are valid: villages are checked for rejected stories too.
    place: Place | None = None
    village_line: int = 1


def folder_name_message(name: str) -> str | None:
    match = FOLDER_NAME.match(name)
    if match:
        try:
            dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return (
                f"“{name}”开头的日期不存在；文件夹名要以真实日期开头，例如 2021-03-12-zhangzhuang"
            )
        return None
    return (
        f"“{name}”不符合要求；文件夹名要写成“写稿日期-英文或拼音”，只用小写字母、数字和连字符，"
        "例如 2021-03-12-zhangzhuang（它就是稿件的永久网址，发布后不再改）"
    )


def load_story(
    project_root: Path,
    index_path: Path,
    settings: CampaignSettings,
    gazetteer: Gazetteer,
) -> StoryResult:
    rel_path = index_path.relative_to(project_root).as_posix()
    folder = index_path.parent
    result = StoryResult(rel_path, None)
    folder_message = folder_name_message(folder.name)
    if folder_message:
        result.problems.append(Problem(rel_path, 1, FOLDER_FIELD, folder_message))
    for finding in find_personal_data(folder.name):
        result.problems.append(
            Problem(rel_path, 1, FOLDER_FIELD, f"{finding.message}（文件夹名就是稿件的网址）")
        )
    try:
        source = read_markdown(index_path, rel_path)
    except SourceError as error:
        result.problems.extend(error.problems)
        return result

    data = source.front_matter.value
    lines = source.front_matter.lines
    reader = FieldReader.for_front_matter(source, result.problems)
    result.hints += source.front_matter.hints
    reader.reject_unknown(STORY_FIELDS)
    draft = bool(reader.flag("draft"))
    result.draft = draft

    title = reader.text("title", max_chars=MAX_TITLE_CHARS)
    date = reader.date_within("date", settings.start, settings.end)
    activity = reader.choice("activity", ACTIVITY_BY_NAME, "活动类型")
    city, county = read_city_county(reader, gazetteer, result.hints)
    township = reader.text("township", required=False)
    village = reader.text("village")
    form = reader.choice("form", FORMS, "作品形式")
    authors = [_read_author(item) for item in reader.mapping_list("authors", required=True)]
    summary = reader.text("summary", max_chars=MAX_SUMMARY_CHARS)
    tags = reader.text_list("tags")
    consent = reader.flag("consent")
    sample = bool(reader.flag("sample"))

    cover = _read_media(reader, "cover", folder, required=False)
    pairs = [_read_pair(item, folder) for item in reader.mapping_list("pairs")]
    videos = [_read_video(item, folder) for item in reader.mapping_list("videos")]
    audios = [_read_audio(item, folder) for item in reader.mapping_list("audios")]
    body_images = _check_body(source.body, source.body_first_line, folder, rel_path, result)
    result.problems.extend(front_matter_problems(data, lines, rel_path))
    # Where each media file is named; build_catalog opens and checks them (media.check).
    result.media = media = story_media(folder, source)

    has_media = bool(cover or pairs or videos or audios or body_images)
    if has_media and consent is not True:
        reader.report(
            "consent",
            "稿件含有照片、视频或音频，需要写 consent: true，"
            "表示画面和录音中的人和家庭已同意公开发布",
        )

    result.village_line = reader.line("village")
    if city and county and village:
        result.place = Place(
            city=city.name,
            county=county.name,
            township=township,
            village=village,
            city_slug=city.slug,
            county_slug=county.slug,
        )

    if result.problems:
        return result
    # Every field read above was valid, so none of these is None.
    assert title and date and activity and result.place and form and summary
    result.story = Story(
        folder=folder.name,
        source_path=rel_path,
        src_uri=urls.source_of(urls.story(folder.name)),
        title=title,
        date=date,
        activity=activity,
        place=result.place,
        village_line=result.village_line,
        form=form,
        authors=[a for a in authors if a is not None],
        summary=summary,
        cover=cover,
        pairs=[p for p in pairs if p is not None],
        videos=[v for v in videos if v is not None],
        audios=[a for a in audios if a is not None],
        body_images=body_images,
        tags=tags,
        consent=bool(consent),
        draft=draft,
        sample=sample,
        media=media,
    )
    return result


def _read_author(reader: FieldReader) -> Author | None:
    reader.reject_unknown(AUTHOR_FIELDS)
    name = reader.text("name")
    role = reader.choice("role", AUTHOR_ROLES, "作者身份")
    org = reader.text("org", required=False)
    if name is None or role is None:
        return None
    return Author(name=name, role=role, org=org)


def _read_media(reader: FieldReader, key: str, folder: Path, *, required: bool) -> str | None:
    reference = reader.text(key, required=required)
    if reference is None:
        return None
    problem = media_message(folder, reference)
    if problem:
        reader.report(key, problem)
        return None
    return reference


def _read_pair(reader: FieldReader, folder: Path) -> Pair | None:
    reader.reject_unknown(PAIR_FIELDS)
    before = _read_media(reader, "before", folder, required=True)
    after = _read_media(reader, "after", folder, required=True)
    before_year = reader.integer("before_year", minimum=1949, maximum=2030)
    after_year = reader.integer("after_year", minimum=1949, maximum=2030)
    theme = reader.choice("theme", PAIR_THEMES, "对比主题")
    caption = reader.text("caption", max_chars=MAX_SUMMARY_CHARS)
    if before_year is not None and after_year is not None and after_year < before_year:
        reader.report("after_year", f"{after_year} 早于 before_year {before_year}；请核对年份")
        return None
    if None in (before, after, before_year, after_year, theme, caption):
        return None
    return Pair(before, after, before_year, after_year, theme, caption)  # type: ignore[arg-type]


def _read_video(reader: FieldReader, folder: Path) -> Video | None:
    reader.reject_unknown(VIDEO_FIELDS)
    file = _read_media(reader, "file", folder, required=True)
    caption = reader.text("caption", max_chars=MAX_SUMMARY_CHARS)
    subtitles = _read_media(reader, "subtitles", folder, required=False)
    if subtitles and not subtitles.lower().endswith(".vtt"):
        reader.report("subtitles", f"“{subtitles}”不是 WebVTT 字幕；字幕文件要用 .vtt 格式")
        return None
    if file is None or caption is None:
        return None
    return Video(file, caption, subtitles)


def _read_audio(reader: FieldReader, folder: Path) -> Audio | None:
    reader.reject_unknown(AUDIO_FIELDS)
    file = _read_media(reader, "file", folder, required=True)
    caption = reader.text("caption", max_chars=MAX_SUMMARY_CHARS)
    if file is None or caption is None:
        return None
    return Audio(file, caption)


def _check_body(
    body: str, first_line: int, folder: Path, rel_path: str, result: StoryResult
) -> list[str]:
    """Scan the body for unsafe HTML, personal data and images; returns the images it shows."""

    def add(offset: int, message: str) -> None:
        result.problems.append(Problem(rel_path, first_line + offset, BODY_FIELD, message))

    if not body.strip():
        add(0, "正文是空的；请在 front-matter 的 --- 之后写正文")
    placeholder_at = body.find(BODY_PLACEHOLDER)
    if placeholder_at >= 0:
        add(body.count("\n", 0, placeholder_at), "这里还是模板的提示文字；请换成稿件正文")
    for finding in find_unsafe_html(body) + find_personal_data(body):
        add(finding.line_offset, finding.message)
    for offset, message in invalid_character_lines(body):
        add(offset, message)
    images = []
    for offset, target in body_image_references(body):
        problem = media_message(folder, target)
        if problem:
            add(offset, f"图片{problem}")
        else:
            images.append(target)
    return images
