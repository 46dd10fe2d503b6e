"""Loading and validating the troupe's sources, collecting every problem.

`docs/troupe/members.yml` is a list of members and each `docs/troupe/schedule/*.yml` a list
of talks (DESIGN.md, "Troupe"). Fields are named like `[3].speakers[1]`: the item's place in
its file's list, then the field. The conflict checks run on the talks that are valid. What a
talk names outside its own files (a village, stories) is checked when it is resolved
(`troupe.resolve`), against what the site publishes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..fields import FieldReader, closest, describe_type, shorten
from ..gazetteer import Gazetteer
from ..media.check import cache_for, probe_reference
from ..media.records import MediaRef
from ..mediapaths import media_message
from ..models import Area
from ..personaldata import find_personal_data, text_values
from ..places import read_city, read_city_county
from ..problems import Problem
from ..realfiles import Tree, refusal, walk
from ..settings import CampaignSettings
from ..sourcefile import LocatedData, SourceError, parse_yaml, read_text
from .conflicts import find_conflicts
from .ids import event_number
from .models import CATEGORIES, HELD, STATUSES, TALK_FORMS, CheckedTalk, Member
from .revisions import date_troupe

TROUPE_DIR = "troupe"
MEMBERS_FILE = "members.yml"
SCHEDULE_DIR = "schedule"
SCHEDULE_SUFFIXES = (".yml", ".yaml")
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")

MEMBER_FIELDS = ("id", "name", "category", "unit", "city", "bio", "photo", "sample")
TALK_FIELDS = (
    "id",
    "date",
    "start",
    "end",
    "city",
    "county",
    "village",
    "venue",
    "speakers",
    "title",
    "form",
    "status",
    "stories",
    "sample",
)
_ITEM_FIELD = re.compile(r"^\[(\d+)\]")  # `[3].bio`: the fourth item of the file's list
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_CHARS = 60
MAX_NAME_CHARS = 20
MAX_UNIT_CHARS = 60
MAX_BIO_CHARS = 200
MAX_TITLE_CHARS = 60
MAX_VENUE_CHARS = 40
_TIME_TEXT = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class TroupeResult:
    """The troupe's sources after validation: the valid members and talks, and what was found."""

    members: tuple[Member, ...] = ()  # in file order
    talks: tuple[CheckedTalk, ...] = ()  # in file order
    problems: tuple[Problem, ...] = ()
    hints: tuple[str, ...] = ()
    # Every well-formed member id → `path:line` of its entry, valid or not: a talk may name
    # only these, and is told where to look when the member is not published.
    member_ids: dict[str, str] = field(default_factory=dict)


def load_troupe(
    project_root: Path, docs_dir: Path, settings: CampaignSettings, gazetteer: Gazetteer
) -> TroupeResult:
    """Read members and schedules under `docs/troupe/`; an absent folder is an empty troupe."""
    return _Loader(project_root, docs_dir, settings, gazetteer).load()


@dataclass
class _SourceList:
    """A YAML file holding one list, with the line of every field and its unquoted values
    as written (LocatedData.raw)."""

    path: str
    items: list[Any]
    lines: dict[str, int]
    raw: dict[str, str]
    # Items holding a personal number: reported, and never published (not even by `serve`).
    private: frozenset[int] = frozenset()


class _Loader:
    def __init__(
        self,
        project_root: Path,
        docs_dir: Path,
        settings: CampaignSettings,
        gazetteer: Gazetteer,
    ) -> None:
        self.project_root = project_root
        self.docs_dir = docs_dir
        self.troupe_dir = docs_dir / TROUPE_DIR
        self.settings = settings
        self.gazetteer = gazetteer
        self.problems: list[Problem] = []
        self.hints: list[str] = []
        self.member_ids: dict[str, str] = {}  # every well-formed id → its `path:line`
        self.member_names: dict[str, str] = {}  # name → id, to help who wrote a name
        self.photos: set[Path] = set()
        self.tree = Tree()  # docs/troupe/ as it is on disk, links left out

    def rel(self, path: Path) -> str:
        return path.relative_to(self.project_root).as_posix()

    # -- files -----------------------------------------------------------------------------

    def load(self) -> TroupeResult:
        refused = refusal(self.troupe_dir, self.project_root, self.docs_dir)
        if refused is not None:
            self.problems.append(refused)
        if refused is not None or not self.troupe_dir.is_dir():
            return TroupeResult(problems=tuple(self.problems), hints=tuple(self.hints))
        # Links are refused at their own path, never read (realfiles.py).
        self.tree = walk(self.troupe_dir, self.project_root, self.docs_dir)
        members_path = self.troupe_dir / MEMBERS_FILE
        schedule_paths = self._schedule_files()
        members: list[Member] = []
        if members_path in self.tree.files:
            source = self._read_list(members_path, "成员")
            if source is not None:
                members = self._read_members(source)
        elif schedule_paths and not members_path.is_symlink():
            self.problems.append(
                Problem(
                    self.rel(members_path),
                    1,
                    "文件",
                    "缺少成员名单；日程里的 speakers 要写这个文件里成员的 id，请先建立它",
                )
            )
        talks: list[CheckedTalk] = []
        seen_ids: dict[str, str] = {}
        numbers: dict[int, str] = {}
        for path in schedule_paths:
            source = self._read_list(path, "宣讲")
            if source is not None:
                talks += self._read_talks(source, seen_ids, numbers)
        self._check_stray_files(schedule_paths)
        by_id = {member.id: member for member in members}
        self.problems += find_conflicts(talks, by_id.get, self.settings.travel_buffer_minutes)
        dated_members, dated_talks = date_troupe(
            self.project_root,
            self.docs_dir,
            members_path,
            self.troupe_dir / SCHEDULE_DIR,
            schedule_paths,
            members,
            talks,
        )
        return TroupeResult(
            dated_members,
            dated_talks,
            tuple(self.problems),
            tuple(self.hints),
            dict(self.member_ids),
        )

    def _schedule_files(self) -> list[Path]:
        folder = self.troupe_dir / SCHEDULE_DIR
        return [
            path
            for path in self.tree.files
            if path.parent == folder and path.suffix.lower() in SCHEDULE_SUFFIXES
        ]

    def _check_stray_files(self, schedule_paths: list[Path]) -> None:
        """Files under docs/troupe/ that nothing reads are named, not silently left out."""
        self.problems.extend(self.tree.problems)  # links, members' photos included
        expected = {self.troupe_dir / MEMBERS_FILE, *schedule_paths, *self.photos}
        for path in self.tree.files:
            if path in expected:
                continue
            if path.parent == self.troupe_dir / SCHEDULE_DIR:
                message = "日程文件要以 .yml 结尾（如 kaifeng.yml），这个文件不会被读取；请改名"
            elif path.suffix.lower() in PHOTO_SUFFIXES:
                message = (
                    "没有成员的 photo 用到这张照片，它不会发布；请在成员的 photo 里写上它，或删除"
                )
            else:
                message = (
                    "宣讲团的页面由网站根据 members.yml 和 schedule/ 里的日程自动生成，"
                    "这个文件不会被读取或发布；请删除或移走"
                )
            self.problems.append(Problem(self.rel(path), 1, "文件", message))

    def _read_list(self, path: Path, noun: str) -> _SourceList | None:
        rel = self.rel(path)
        try:
            text = read_text(path, rel)
            data: LocatedData = parse_yaml(text, rel)
        except SourceError as error:
            self.problems.extend(error.problems)
            return None
        private = self._scan_personal_data(text, rel, data)
        self.hints += data.hints
        if data.value is None:
            return _SourceList(rel, [], data.lines, data.raw)
        if not isinstance(data.value, list):
            self.problems.append(
                Problem(
                    rel,
                    1,
                    "YAML",
                    f"这个文件应该是一个列表：每一{'位' if noun == '成员' else '场'}{noun}"
                    "以“- id: ……”开头，下面的字段缩进两格",
                )
            )
            return None
        return _SourceList(rel, data.value, data.lines, data.raw, private)

    def _scan_personal_data(self, text: str, rel: str, data: LocatedData) -> frozenset[int]:
        """Phone, ID-card and bank-card numbers anywhere in the file, comments included;
        returns the positions of the list items that hold one."""
        raw = text.split("\n")
        reported: set[tuple[str, int | None]] = set()  # (masked number, item)

        def report(line: int, where: str, message: str) -> None:
            item = _ITEM_FIELD.match(where)
            key = (message, int(item.group(1)) if item else None)
            if key not in reported:
                reported.add(key)
                self.problems.append(Problem(rel, line, where, message))

        for finding in find_personal_data(text):
            comment = raw[finding.line_offset].lstrip().startswith("#")
            line = finding.line_offset + 1
            report(line, "注释" if comment else _field_at(data.lines, line), finding.message)
        # A quoted value can spell its digits as escapes ("\u0031\u0033…"), which YAML decodes.
        for where, value in text_values(data.value):
            for finding in find_personal_data(value):
                report(data.lines.get(where, 1), where, finding.message)
        return frozenset(item for _message, item in reported if item is not None)

    def _items(self, source: _SourceList, noun: str) -> Iterable[tuple[int, FieldReader]]:
        """Each item of the file's list with a reader of its fields. Field paths keep YAML's
        index (`[4].venue`); messages count as people do (“第 5 场宣讲”, DESIGN.md)."""
        for index, item in enumerate(source.items):
            key = f"[{index}]"
            line = source.lines.get(key, 1)
            position = f"第 {index + 1} {noun}"
            if not isinstance(item, dict):
                self.problems.append(
                    Problem(
                        source.path,
                        line,
                        key,
                        f"{position}应该是“字段: 值”的组合，现在是{describe_type(item)}；"
                        "请按示例填写，字段前缩进两格",
                    )
                )
                continue
            yield (
                index,
                FieldReader(
                    source.path,
                    item,
                    source.lines,
                    line,
                    self.problems,
                    key,
                    raw=source.raw,
                    label=f"{position}：",
                ),
            )

    def _read_id(self, reader: FieldReader) -> str | None:
        value = reader.text("id", max_chars=MAX_ID_CHARS)
        if value is not None and not ID_PATTERN.match(value):
            reader.report(
                "id",
                f"“{value}”不符合要求；id 只用小写英文字母、数字和连字符，例如 wang-xiaohong"
                "（它会出现在网址里，发布后不再改）",
            )
            return None
        return value

    # -- members ---------------------------------------------------------------------------

    def _read_members(self, source: _SourceList) -> list[Member]:
        members = []
        for index, reader in self._items(source, "位成员"):
            before = len(self.problems)
            member = self._read_member(reader)
            if member is not None and len(self.problems) == before and index not in source.private:
                members.append(member)
        return members

    def _read_member(self, reader: FieldReader) -> Member | None:
        reader.reject_unknown(MEMBER_FIELDS)
        member_id = self._read_id(reader)
        if member_id is not None:
            first = self.member_ids.get(member_id)
            if first is not None:
                reader.report("id", f"id “{member_id}”与 {first} 重复；每位成员的 id 必须不同")
                member_id = None
            else:
                self.member_ids[member_id] = f"{reader.path}:{reader.line('id')}"
        name = reader.text("name", max_chars=MAX_NAME_CHARS)
        if name and member_id:
            self.member_names.setdefault(name, member_id)
        category = reader.choice("category", CATEGORIES, "宣讲团成员类别")
        unit = reader.text("unit", max_chars=MAX_UNIT_CHARS)
        city = read_city(reader, self.gazetteer, self.hints)
        bio = reader.text("bio", max_chars=MAX_BIO_CHARS)
        photo = self._read_photo(reader)
        sample = bool(reader.flag("sample"))
        if not (member_id and name and category and unit and city and bio):
            return None
        return Member(
            id=member_id,
            name=name,
            category=category,
            unit=unit,
            city=city.name,
            city_slug=city.slug,
            bio=bio,
            source_path=reader.path,
            line=reader.fallback_line,
            photo_ref=photo,
            sample=sample,
        )

    def _read_photo(self, reader: FieldReader) -> MediaRef | None:
        """The photo, probed as a story's photos are (size and pixel limits, truncated
        files): its hash is what the build's media step makes the published photo from."""
        reference = reader.text("photo", required=False)
        if reference is None:
            return None
        problem = media_message(self.troupe_dir, reference)
        probed = None
        if problem is None and PurePosixPath(reference).suffix.lower() not in PHOTO_SUFFIXES:
            problem = f"“{reference}”不是照片；请用 JPEG、PNG 或 WebP 格式的照片"
        if problem is None:
            path = self.troupe_dir / reference
            ref = MediaRef(reader.name_of("photo"), reader.line("photo"), "image", reference, path)
            probed, message = probe_reference(
                ref, cache_for(self.project_root, self.settings.media), self.settings.media
            )
            problem = f"“{reference}”{message}" if message else None
        if problem is not None:
            reader.report("photo", problem.replace("稿件文件夹", "docs/troupe/ 文件夹"))
            return None
        self.photos.add(self.troupe_dir / reference)
        return probed

    # -- talks -----------------------------------------------------------------------------

    def _read_talks(
        self, source: _SourceList, seen_ids: dict[str, str], numbers: dict[int, str]
    ) -> list[CheckedTalk]:
        talks = []
        for index, reader in self._items(source, "场宣讲"):
            before = len(self.problems)
            talk = self._read_talk(index, reader, seen_ids, numbers)
            if talk is not None and len(self.problems) == before and index not in source.private:
                talks.append(talk)
        return talks

    def _read_talk(
        self,
        index: int,
        reader: FieldReader,
        seen_ids: dict[str, str],
        numbers: dict[int, str],
    ) -> CheckedTalk | None:
        reader.reject_unknown(TALK_FIELDS)
        talk_id = self._read_id(reader)
        if talk_id is not None:
            talk_id = self._unique_talk_id(reader, talk_id, seen_ids, numbers)
        date = reader.date_within("date", self.settings.start, self.settings.end)
        start = _read_time(reader, "start")
        end = _read_time(reader, "end")
        if start is not None and end is not None and end <= start:
            reader.report(
                "end",
                f"结束时间 {end:%H:%M} 不晚于开始时间 {start:%H:%M}；请核对 start 和 end",
            )
            end = None
        city, county = read_city_county(reader, self.gazetteer, self.hints)
        village = reader.text("village", required=False)
        venue = reader.text("venue", max_chars=MAX_VENUE_CHARS)
        speakers = self._read_speakers(reader)
        title = reader.text("title", max_chars=MAX_TITLE_CHARS)
        form = reader.choice("form", TALK_FORMS, "宣讲形式")
        status = reader.choice("status", STATUSES, "宣讲状态")
        stories = self._read_story_folders(reader, status)
        sample = bool(reader.flag("sample"))
        if not (
            talk_id and date and start and end and city and county and venue and speakers
        ) or not (title and form and status):
            return None
        lines = {
            key.removeprefix(f"[{index}]."): line
            for key, line in reader.lines.items()
            if key.startswith(f"[{index}].")
        }
        return CheckedTalk(
            id=talk_id,
            source_path=reader.path,
            index=index,
            line=reader.fallback_line,
            field_lines=lines,
            date=date,
            start=start,
            end=end,
            area=Area(city.name, county.name, city.slug, county.slug),
            village_name=village,
            venue=venue,
            speaker_ids=tuple(speakers),
            title=title,
            form=form,
            status=status,
            story_folders=tuple(stories),
            sample=sample,
        )

    def _unique_talk_id(
        self, reader: FieldReader, talk_id: str, seen_ids: dict[str, str], numbers: dict[int, str]
    ) -> str | None:
        here = f"{reader.path}:{reader.line('id')}"
        first = seen_ids.get(talk_id)
        if first is not None:
            reader.report(
                "id",
                f"id “{talk_id}”与 {first} 的宣讲重复；每场宣讲的 id 必须不同"
                "（日历靠它识别每一场），请给这一场另起一个 id",
            )
            return None
        seen_ids[talk_id] = here
        number = event_number(talk_id)
        clash = numbers.get(number)
        if clash is not None:
            # Vanishingly rare (31-bit hash), but schedule apps need distinct numbers.
            reader.report(
                "id",
                f"id “{talk_id}”与 {clash} 的宣讲换算出的日程编号相同；请把这一场的 id 稍作改动",
            )
            return None
        numbers[number] = f"{here} 的 {talk_id}"
        return talk_id

    def _read_speakers(self, reader: FieldReader) -> list[str] | None:
        values = reader.text_list("speakers", required=True)
        if not values:
            return None
        speakers: list[str] = []
        ok = True
        for position, value in enumerate(values):
            key = f"speakers[{position}]"
            if value in speakers:
                reader.report(key, f"“{value}”在这一场里写了两次；请删去重复的一项")
                ok = False
            elif value not in self.member_ids:
                reader.report(key, self._unknown_member(value))
                ok = False
            speakers.append(value)
        return speakers if ok else None

    def _unknown_member(self, value: str) -> str:
        if value in self.member_names:
            return (
                f"“{value}”是成员的姓名；这里要写成员的 id：{self.member_names[value]}"
                "（见 docs/troupe/members.yml）"
            )
        hint = closest(value, self.member_ids, cutoff=0.5)
        guess = f"是不是想写“{hint}”？" if hint else ""
        return f"“{value}”不是宣讲团成员的 id；{guess}成员名单和 id 在 docs/troupe/members.yml"

    def _read_story_folders(self, reader: FieldReader, status: str | None) -> list[str]:
        """The folders of the stories a held talk links to; whether each is published is
        known when the talk is resolved."""
        folders = reader.text_list("stories")
        if folders and status is not None and status != HELD:
            reader.report(
                "stories",
                f"只有已经举行的宣讲（status: {HELD}）才关联稿件；"
                f"请把 status 改为 {HELD}，或删去 stories",
            )
            return []
        return folders


# -- helpers ------------------------------------------------------------------------------


def _read_time(reader: FieldReader, key: str) -> dt.time | None:
    """`"HH:MM"`. An unquoted 10:30 is accepted too: YAML 1.1 would read it as the number 630,
    but the YAML reader keeps such a value as the text that was written."""
    if reader._missing(key, required=True):
        return None
    value = reader.data[key]
    advice = f'请写成带引号的 24 小时制时间，例如 {key}: "09:30"'
    if not isinstance(value, str):
        reader.report(key, f"{describe_type(value)}不是时间；{advice}")
        return None
    text = value.strip()
    match = _TIME_TEXT.fullmatch(text)
    if match is None:
        reader.report(key, f"“{shorten(text)}”不是时间；{advice}")
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour >= 24 or minute >= 60:
        reader.report(key, f"{text} 不是有效的时间（小时是 0～23，分钟是 00～59）；{advice}")
        return None
    return dt.time(hour, minute)


def _field_at(lines: Mapping[str, int], line: int) -> str:
    """The field written on `line` (the last one started at or before it), for problems."""
    best, best_line = "", 0
    for key, key_line in lines.items():
        if best_line < key_line <= line or (key_line == best_line and len(key) > len(best)):
            best, best_line = key, key_line
    return best or "文本"
