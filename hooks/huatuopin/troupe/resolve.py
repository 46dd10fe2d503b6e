"""Every talk linked to its members, village and stories: a pure step of resolution.

A talk is published only when everything it names is: its speakers are valid members, its
village has a page, its stories are published. Otherwise it is rejected with a problem at the
field that names what is missing, so no page or feed links to something that is not there.
A withdrawn story is the exception: the talk happened, so it keeps its other links and only
the link to that story goes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..fields import closest
from ..models import Story, VillageKey
from ..problems import Problem
from ..villages.records import Village
from .models import CheckedTalk, Member, Talk


@dataclass(frozen=True)
class TalkResolution:
    talks: tuple[Talk, ...]  # by date and time
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Publishable:
    """What a talk may name, and what exists without being published (for the messages)."""

    members: Mapping[str, Member]  # valid members by id
    member_ids: Mapping[str, str]  # every well-formed member id → `path:line` of its entry
    villages: Mapping[VillageKey, Village]  # villages with a page in a build
    stories: Mapping[str, Story]  # published stories by folder
    story_sources: Mapping[str, str]  # every story folder found → its index.md
    # Villages named only by stories that are not published → those stories' index.md.
    withheld_villages: Mapping[VillageKey, tuple[str, ...]]
    withdrawn: frozenset[str] = frozenset()  # folders of stories taken down


@dataclass
class _Findings:
    """What is wrong with one talk's references, each at the field that names it."""

    talk: CheckedTalk
    problems: list[Problem] = field(default_factory=list)

    def report(self, key: str, message: str, involves: tuple[str, ...] = ()) -> None:
        talk = self.talk
        self.problems.append(
            Problem(
                talk.source_path,
                talk.line_of(key),
                talk.field_name(key),
                f"{talk.position}宣讲：{message}",  # as its other fields' messages begin
                involves=involves,
            )
        )


def resolve_talks(talks: Sequence[CheckedTalk], publishable: Publishable) -> TalkResolution:
    resolved: list[Talk] = []
    problems: list[Problem] = []
    for talk in talks:
        findings = _Findings(talk)
        speakers = _speakers(findings, publishable)
        village = _village(findings, publishable)
        stories = _stories(findings, publishable)
        if findings.problems:
            problems += findings.problems
        else:
            resolved.append(Talk.of(talk, speakers, village, stories))
    resolved.sort(key=lambda talk: talk.sort_key)
    return TalkResolution(tuple(resolved), tuple(problems))


def _speakers(findings: _Findings, publishable: Publishable) -> tuple[Member, ...]:
    report = findings.report
    speakers = []
    for position, member_id in enumerate(findings.talk.speaker_ids):
        member = publishable.members.get(member_id)
        if member is not None:
            speakers.append(member)
            continue
        entry = publishable.member_ids.get(member_id, "docs/troupe/members.yml")
        report(
            f"speakers[{position}]",
            f"成员“{member_id}”的资料（{entry}）还有待修正的问题，目前没有发布；"
            "请先按提示修正成员资料，或从这一场里删去这位宣讲人",
            (entry.rsplit(":", 1)[0],),
        )
    return tuple(speakers)


def _village(findings: _Findings, publishable: Publishable) -> Village | None:
    report = findings.report
    key = findings.talk.village_key
    if key is None:
        return None
    village = publishable.villages.get(key)
    if village is not None:
        return village
    withheld = publishable.withheld_villages.get(key)
    if withheld:
        report(
            "village",
            f"“{key.village}”只出现在还没有发布的稿件里（{'、'.join(withheld)}），还没有村庄页面；"
            "等稿件发布后再写 village，或先去掉 village 一项，只写 venue",
            withheld,
        )
        return None
    nearby = sorted(k.village for k in publishable.villages if k[:2] == key[:2])
    hint = closest(key.village, nearby, cutoff=0.4)
    guess = f"是不是想写“{hint}”？" if hint else ""
    report(
        "village",
        f"“{key.village}”不是{key.county}已知的村庄（有村庄简介或采风稿件的村才有村庄页面）；"
        f"{guess}请核对村名，或去掉 village 一项，只写 venue",
    )
    return None


def _stories(findings: _Findings, publishable: Publishable) -> tuple[Story, ...]:
    report = findings.report
    stories = []
    for position, folder in enumerate(findings.talk.story_folders):
        story = publishable.stories.get(folder)
        if story is not None:
            stories.append(story)
            continue
        if folder in publishable.withdrawn:
            continue
        key = f"stories[{position}]"
        source = publishable.story_sources.get(folder)
        if source is not None:
            report(
                key,
                f"稿件“{folder}”目前没有发布（是草稿，或还有待修正的问题）；"
                "等它发布后再关联，或先删去这一项",
                (source,),
            )
        else:
            hint = closest(folder, publishable.stories, cutoff=0.6)
            guess = f"是不是想写“{hint}”？" if hint else ""
            report(
                key,
                f"找不到稿件“{folder}”；{guess}这里要写 docs/stories/ 下稿件文件夹的名字",
            )
    return tuple(stories)
