"""Loading and validating one story folder: `docs/stories/<folder>/index.md` and where its
media files are (`validate` then opens each one)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from . import urls
from .fields import FieldReader
from .gazetteer import Gazetteer
from .media.check import story_media
from .media.records import StoryMedia
from .mediapaths import body_image_references, media_message
from .models import Area, Audio, Author, CheckedStory, Correction, Pair, Place, Video, Withdrawal
from .personaldata import find_personal_data, front_matter_problems
from .places import read_city_county
from .plaintext import invalid_character_lines
from .problems import Problem
from .realfiles import refusal, walk
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
    "withdrawn",
    "corrections",
)
AUTHOR_FIELDS = ("name", "role", "org")
PAIR_FIELDS = ("before", "after", "before_year", "after_year", "theme", "caption")
VIDEO_FIELDS = ("file", "caption", "subtitles")
AUDIO_FIELDS = ("file", "caption")
WITHDRAWAL_FIELDS = ("date", "reason")
CORRECTION_FIELDS = ("date", "note")

MAX_TITLE_CHARS = 60
MAX_SUMMARY_CHARS = 120
MAX_REASON_CHARS = 80
MAX_NOTE_CHARS = 200
FOLDER_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")
# `make new-story` writes this into a new story's body; publishing it unchanged is a mistake.
BODY_PLACEHOLDER = "（请在这里写正文"
BODY_FIELD = "正文"
FOLDER_FIELD = "文件夹名"
STORIES_DIR = "stories"


@dataclass(frozen=True)
class PastDate:
    """A date that must have come already (a withdrawal's, a correction's). Judged against the
    day of each validation (validate.py), not here: a result is kept in the story cache by the
    story's content, and tomorrow a date that is too early today is fine."""

    field: str  # `withdrawn.date`, `corrections[0].date`
    line: int
    date: dt.date
    noun: str  # 撤稿日期, 更正日期


@dataclass(frozen=True)
class StoryResult:
    """A story folder after validation: the record when it is valid, and what was found."""

    source_path: str
    story: CheckedStory | None
    problems: tuple[Problem, ...] = ()
    hints: tuple[str, ...] = ()
    draft: bool = False
    media: StoryMedia | None = None  # the story's media files, by field and line
    # The place, when its own fields are valid: villages are checked for rejected stories too.
    place: Place | None = None
    village_line: int = 1
    # `withdrawn:` in the front-matter, when its block is valid: the story is taken down.
    withdrawal: Withdrawal | None = None
    past_dates: tuple[PastDate, ...] = ()
    # Where `withdrawn:` is written, valid or not: the desk refuses it either way.
    withdrawn_line: int | None = None


def find_story_sources(project_root: Path, docs_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Every `docs/stories/<folder>/index.md`, and problems for files that are not in one.

    Nothing is read through a link: a linked story folder would publish the same story at a
    second URL, and a linked file may bring in anything from outside docs/ (realfiles.py).
    """
    stories_dir = docs_dir / STORIES_DIR
    sources: list[Path] = []
    problems: list[Problem] = []
    refused = refusal(stories_dir, project_root, docs_dir)
    if refused is not None:
        return sources, [refused]
    if not stories_dir.is_dir():
        return sources, problems

    def misplaced(path: Path, message: str) -> None:
        problems.append(Problem(path.relative_to(project_root).as_posix(), 1, "文件", message))

    tree = walk(stories_dir, project_root, docs_dir)
    problems.extend(tree.problems)
    refused_paths = {project_root / p.path for p in tree.problems}
    for entry in tree.files:
        if entry.parent != stories_dir:
            continue
        if entry.suffix == ".md":
            misplaced(
                entry,
                "稿件要放在自己的文件夹里：docs/stories/YYYY-MM-DD-拼音/index.md；"
                "可以用 make new-story 创建",
            )
        else:
            misplaced(entry, "这个文件不在任何稿件文件夹里，不会发布；请放进所属稿件的文件夹")
    files = set(tree.files)
    for folder in tree.folders:
        if folder.parent != stories_dir:
            continue
        index = folder / "index.md"
        if index in files:
            sources.append(index)
        elif index not in refused_paths:  # a linked index.md is reported as a link
            misplaced(folder, "稿件文件夹里缺少 index.md；请把稿件正文保存为 index.md")
    for extra in tree.files:
        story_index = extra.name == "index.md" and extra.parent.parent == stories_dir
        if extra.suffix == ".md" and extra.parent != stories_dir and not story_index:
            misplaced(
                extra,
                "一篇稿件只能有一个 Markdown 文件 index.md；请把内容并入 index.md 或删除",
            )
    return sources, problems


def folder_name_message(name: str) -> str | None:
    match = FOLDER_NAME.fullmatch(name)  # `$` alone would let a last newline through
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
    problems: list[Problem] = []
    hints: list[str] = []
    folder_message = folder_name_message(folder.name)
    if folder_message:
        problems.append(Problem(rel_path, 1, FOLDER_FIELD, folder_message))
    for finding in find_personal_data(folder.name):
        problems.append(
            Problem(rel_path, 1, FOLDER_FIELD, f"{finding.message}（文件夹名就是稿件的网址）")
        )
    try:
        source = read_markdown(index_path, rel_path)
    except SourceError as error:
        return StoryResult(rel_path, None, (*problems, *error.problems))

    data = source.front_matter.value
    lines = source.front_matter.lines
    reader = FieldReader.for_front_matter(source, problems)
    hints += source.front_matter.hints
    if "withdrawn" in data:
        # Read lightly: its photos may be deleted already, or it may never have validated.
        return _load_withdrawn(reader, folder.name, rel_path, problems, hints)
    reader.reject_unknown(STORY_FIELDS)
    draft = bool(reader.flag("draft"))

    title = reader.text("title", max_chars=MAX_TITLE_CHARS)
    date = reader.date_within("date", settings.start, settings.end)
    activity = reader.choice("activity", ACTIVITY_BY_NAME, "活动类型")
    city, county = read_city_county(reader, gazetteer, hints)
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
    past_dates: list[PastDate] = []
    corrections = sorted(
        (
            correction
            for item in reader.mapping_list("corrections")
            if (correction := _read_correction(item, date, past_dates)) is not None
        ),
        key=lambda correction: correction.date,
    )
    body_images = _check_body(source.body, source.body_first_line, folder, rel_path, problems)
    problems.extend(front_matter_problems(data, lines, rel_path))
    # Where each media file is named; validation opens and checks them (media.check).
    media = story_media(folder, source)

    has_media = bool(cover or pairs or videos or audios or body_images)
    if has_media and consent is not True:
        reader.report(
            "consent",
            "稿件含有照片、视频或音频，需要写 consent: true，"
            "表示画面和录音中的人和家庭已同意公开发布",
        )

    village_line = reader.line("village")
    place = None
    if city and county and village:
        place = Place(Area(city.name, county.name, city.slug, county.slug), village, township)

    found = StoryResult(
        rel_path,
        None,
        tuple(problems),
        tuple(hints),
        draft,
        media,
        place,
        village_line,
        past_dates=tuple(past_dates),
    )
    if problems:
        return found
    # Every field read above was valid, so none of these is None.
    assert title and date and activity and place and form and summary
    story = CheckedStory(
        folder=folder.name,
        source_path=rel_path,
        src_uri=urls.source_of(urls.story(folder.name)),
        title=title,
        date=date,
        activity=activity,
        place=place,
        village_line=village_line,
        form=form,
        authors=tuple(a for a in authors if a is not None),
        summary=summary,
        cover=cover,
        pairs=tuple(p for p in pairs if p is not None),
        videos=tuple(v for v in videos if v is not None),
        audios=tuple(a for a in audios if a is not None),
        body_images=tuple(body_images),
        tags=tuple(tags),
        consent=bool(consent),
        draft=draft,
        sample=sample,
        corrections=tuple(corrections),
        media=media,
    )
    return dataclasses.replace(found, story=story)


def _load_withdrawn(
    reader: FieldReader, folder: str, rel_path: str, problems: list[Problem], hints: list[str]
) -> StoryResult:
    """A story taken down: only its folder name (its URL) and its `withdrawn` block count.
    Withdrawn beats draft: the notice is published either way."""
    past_dates: list[PastDate] = []
    withdrawal = None
    block = reader.mapping("withdrawn", required=True)
    if block is not None:
        block.reject_unknown(WITHDRAWAL_FIELDS)
        date = block.date("date")
        reason = _one_line(block, "reason", MAX_REASON_CHARS)
        if reason is not None:
            # The reason goes into the build log and the deploy output.
            for finding in find_personal_data(reason):
                block.report("reason", finding.message)
                reason = None
        if date is not None:
            past_dates.append(PastDate(block.name_of("date"), block.line("date"), date, "撤稿日期"))
        if date is not None and reason is not None:
            withdrawal = Withdrawal(folder, rel_path, date, reason, reader.line("withdrawn"))
    if problems:
        withdrawal = None
    return StoryResult(
        rel_path,
        None,
        tuple(problems),
        tuple(hints),
        withdrawal=withdrawal,
        withdrawn_line=reader.line("withdrawn"),
        past_dates=tuple(past_dates),
    )


def _one_line(reader: FieldReader, key: str, max_chars: int) -> str | None:
    """Plain text on one line: a withdrawal's reason, a correction's note."""
    value = reader.text(key, max_chars=max_chars)
    if value is not None and "\n" in value:
        reader.report(key, "只能写一行；请删去换行，写成一句话")
        return None
    return value


def _read_correction(
    reader: FieldReader, story_date: dt.date | None, past_dates: list[PastDate]
) -> Correction | None:
    reader.reject_unknown(CORRECTION_FIELDS)
    date = reader.date("date")
    note = _one_line(reader, "note", MAX_NOTE_CHARS)
    if date is not None and story_date is not None and date < story_date:
        reader.report(
            "date",
            f"{date} 早于稿件的日期 {story_date}；更正只能在稿件写成之后，请核对日期",
        )
        return None
    if date is None or note is None:
        return None
    past_dates.append(PastDate(reader.name_of("date"), reader.line("date"), date, "更正日期"))
    return Correction(date, note, reader.fallback_line)


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
    body: str, first_line: int, folder: Path, rel_path: str, problems: list[Problem]
) -> list[str]:
    """Scan the body for unsafe HTML, personal data and images; returns the images it shows."""

    def add(offset: int, message: str) -> None:
        problems.append(Problem(rel_path, first_line + offset, BODY_FIELD, message))

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
