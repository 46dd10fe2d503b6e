"""Schedule conflicts between two talks: they stop the build like any other problem.

- a member in two talks whose times overlap (half-open intervals: back-to-back is fine);
- two talks at the same venue (city, county, village and venue all equal) that overlap;
- a member's consecutive talks on one day in two counties with less than the travel buffer
  between the end of one and the start of the next.

Cancelled talks take part in no conflict. A conflict is reported once, at the place of the
talk that comes first in the sources (by file, then line), and names the other talk as
`path:line` with both talk ids (DESIGN.md, "Problems").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import pairwise

from ..problems import Problem
from .models import CheckedTalk, Member

BUFFER_SETTING = "mkdocs.yml 的 extra.troupe.travel_buffer_minutes"


def find_conflicts(
    talks: list[CheckedTalk], member: Callable[[str], Member | None], buffer_minutes: int
) -> list[Problem]:
    active = [talk for talk in talks if not talk.cancelled]
    by_member: dict[str, list[CheckedTalk]] = defaultdict(list)
    by_venue: dict[tuple[str, str, str | None, str], list[CheckedTalk]] = defaultdict(list)
    for talk in active:
        for speaker in talk.speaker_ids:
            by_member[speaker].append(talk)
        by_venue[talk.venue_key].append(talk)

    problems: list[Problem] = []
    for member_id in sorted(by_member):
        label = _member_label(member_id, member(member_id))
        ordered = sorted(by_member[member_id], key=_by_time)
        for a, b in _overlapping(ordered):
            problems.append(_member_overlap(member_id, label, a, b))
        problems += _travel_gaps(member_id, label, ordered, buffer_minutes)
    for key in sorted(by_venue, key=lambda k: tuple(part or "" for part in k)):
        for a, b in _overlapping(sorted(by_venue[key], key=_by_time)):
            problems.append(_venue_overlap(a, b))
    return problems


def _by_time(talk: CheckedTalk) -> tuple[object, ...]:
    return (talk.starts_at, talk.ends_at, talk.source_path, talk.line)


def _overlapping(talks: list[CheckedTalk]) -> Iterator[tuple[CheckedTalk, CheckedTalk]]:
    """Pairs whose [start, end) intervals intersect; `talks` are sorted by start."""
    for i, a in enumerate(talks):
        for b in talks[i + 1 :]:
            if b.starts_at >= a.ends_at:
                break
            yield a, b


def _in_source_order(a: CheckedTalk, b: CheckedTalk) -> tuple[CheckedTalk, CheckedTalk]:
    return (a, b) if (a.source_path, a.line) <= (b.source_path, b.line) else (b, a)


def _member_label(member_id: str, member: Member | None) -> str:
    return f"{member_id}（{member.name}）" if member else member_id


def _others(first: CheckedTalk, second: CheckedTalk) -> tuple[str, ...]:
    """The other schedule file a conflict is about, when it is another file."""
    return () if second.source_path == first.source_path else (second.source_path,)


def _speaker_key(talk: CheckedTalk, member_id: str) -> str:
    return f"speakers[{talk.speaker_ids.index(member_id)}]"


def _when(talk: CheckedTalk) -> str:
    return f"{talk.date.isoformat()} {talk.time_range}"


def _county(talk: CheckedTalk) -> str:
    return talk.county if talk.county != talk.city else talk.city


def _member_overlap(member_id: str, label: str, a: CheckedTalk, b: CheckedTalk) -> Problem:
    first, second = _in_source_order(a, b)
    key = _speaker_key(first, member_id)
    return Problem(
        first.source_path,
        first.line_of(key),
        first.field_name(key),
        f"宣讲团成员 {label}同时排在两场宣讲里：本场 {first.id}（{first.position}，"
        f"{_when(first)}，{''.join(first.trail)}）与 "
        f"{second.where(_speaker_key(second, member_id))} 的 {second.id}（{second.position}，"
        f"{_when(second)}，{''.join(second.trail)}）时间重叠；"
        "请调整其中一场的时间，或换一位宣讲人",
        involves=_others(first, second),
    )


def _venue_overlap(a: CheckedTalk, b: CheckedTalk) -> Problem:
    first, second = _in_source_order(a, b)
    return Problem(
        first.source_path,
        first.line_of("venue"),
        first.field_name("venue"),
        f"{''.join(first.trail)}的“{first.venue}”同一时间安排了两场宣讲：本场 {first.id}"
        f"（{first.position}，{_when(first)}）与 {second.where('venue')} 的 {second.id}"
        f"（{second.position}，{_when(second)}）"
        "时间重叠；请错开时间，或换一个场地",
        involves=_others(first, second),
    )


def _travel_gaps(
    member_id: str, label: str, ordered: list[CheckedTalk], buffer_minutes: int
) -> list[Problem]:
    problems = []
    for earlier, later in pairwise(ordered):
        if earlier.date != later.date or earlier.county_key == later.county_key:
            continue
        gap = int((later.starts_at - earlier.ends_at).total_seconds() // 60)
        if gap < 0 or gap >= buffer_minutes:
            continue  # an overlap is reported as one; enough time is no problem
        first, second = _in_source_order(earlier, later)
        key = _speaker_key(first, member_id)
        problems.append(
            Problem(
                first.source_path,
                first.line_of(key),
                first.field_name(key),
                f"本场 {first.id}（{first.position}）与 "
                f"{second.where(_speaker_key(second, member_id))} 的 {second.id}"
                f"（{second.position}）赶不上：宣讲团成员 {label}{earlier.date.isoformat()} "
                f"先在{_county(earlier)}讲 {earlier.id}（{earlier.end:%H:%M} 结束），"
                f"再到{_county(later)}讲 {later.id}（{later.start:%H:%M} 开始），"
                f"中间只有 {gap} 分钟，跨县（市、区）至少要留 {buffer_minutes} 分钟赶路"
                f"（{BUFFER_SETTING}）；请把 {later.id} 推后至少 {buffer_minutes - gap} 分钟，"
                "或换一位宣讲人",
                involves=_others(first, second),
            )
        )
    return problems
