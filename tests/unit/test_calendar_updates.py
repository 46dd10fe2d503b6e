"""Calendars that update: a talk's DTSTAMP and SEQUENCE move forward when what a calendar shows
of it changes, and stay byte for byte the same when nothing does (history.py).

Each test keeps the troupe in a git repository of its own and commits at chosen times, as
coordinators do; the calendars are parsed back with the icalendar library."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import sitekit
from huatuopin.gazetteer import load_gazetteer
from huatuopin.settings import CampaignSettings
from huatuopin.troupe.feeds import FeedContext, feed_files, feed_scopes
from icalendar import Calendar
from troupekit import STORY_FOLDER, Written, load, talk, talks_yaml, write

pytestmark = pytest.mark.skipif(
    sitekit.missing_here("git"), reason="needs git: calendars date talks from its history"
)

SITE_URL = "https://huatuopin.example.org/"
SCHEDULE = "docs/troupe/schedule/kaifeng.yml"
MEMBERS_FILE = "docs/troupe/members.yml"
UTC = dt.UTC
MARCH_1 = dt.datetime(2021, 3, 1, 8, 0, tzinfo=UTC)
MARCH_5 = dt.datetime(2021, 3, 5, 9, 30, tzinfo=UTC)
MARCH_9 = dt.datetime(2021, 3, 9, 16, 45, tzinfo=UTC)
SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=UTC)

TALKS = [
    talk("kf-a", speakers=["wang-xiaohong", "zhao-tiezhu"]),
    talk("kf-b", date="2021-03-13", start='"14:00"', end='"15:30"', title="光伏板晒出好日子"),
    talk(
        "xx-c",
        date="2021-04-02",
        city="新乡市",
        county="辉县市",
        village="裴寨村",
        venue="文化广场",
        speakers=["li-jianguo"],
        title="山里修路",
    ),
]
STORY_TEXT = "---\ntitle: {title}\ndate: 2021-03-12\n---\n\n正文。\n"


def git(root: Path, *args: str, when: dt.datetime | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root)}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
    subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True)


def commit(root: Path, when: dt.datetime, message: str = "日程") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message, when=when)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A project whose troupe was committed on 1 March 2021."""
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "协调员")
    git(root, "config", "user.email", "coordinator@example.org")
    write(root, {"kaifeng.yml": TALKS})
    commit(root, MARCH_1)
    return root


def calendar(root: Path, path: str = "troupe/schedule.ics") -> str:
    return files(root)[path]


def files(root: Path) -> dict[str, str]:
    result = load(Written(root))
    assert result.problems == (), "\n".join(map(str, result.problems))
    context = FeedContext(SITE_URL, CampaignSettings())
    return {
        f.path: f.content for f in feed_files(context, feed_scopes(result.troupe, load_gazetteer()))
    }


def events(text: str) -> dict[str, Any]:
    """Each event by its title, as a calendar app reads it."""
    found = Calendar.from_ical(text).walk("VEVENT")
    return {str(e["SUMMARY"]).removesuffix("（已取消）"): e for e in found}


def event_blocks(text: str) -> dict[str, str]:
    """Each event's raw text, by its UID: to show the others are byte-identical."""
    blocks = {}
    for block in text.split("BEGIN:VEVENT\r\n")[1:]:
        body = block.split("END:VEVENT\r\n")[0]
        uid = next(line for line in body.split("\r\n") if line.startswith("UID:"))
        blocks[uid] = body
    return blocks


def sequence(event: Any) -> int:
    return int(event["SEQUENCE"])


def seconds(moment: dt.datetime) -> int:
    return int((moment - SEQUENCE_EPOCH).total_seconds())


def edit(root: Path, rel_path: str, old: str, new: str, count: int = 1) -> None:
    path = root / rel_path
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


# -- one talk changes, the others do not -----------------------------------------------------


def test_changing_a_talks_time_raises_its_sequence_and_only_its(repo: Path) -> None:
    before = calendar(repo)
    assert calendar(repo) == before  # rebuilt unchanged: the same bytes

    edit(repo, SCHEDULE, 'start: "14:00"', 'start: "14:30"')
    commit(repo, MARCH_5, "kf-b 改到 14:30")
    after = calendar(repo)

    old, new = events(before)["光伏板晒出好日子"], events(after)["光伏板晒出好日子"]
    assert new.decoded("DTSTART").astimezone(UTC).time() == dt.time(6, 30)
    assert sequence(new) > sequence(old)
    assert (sequence(old), sequence(new)) == (seconds(MARCH_1), seconds(MARCH_5))
    assert old.decoded("DTSTAMP") == MARCH_1 and new.decoded("DTSTAMP") == MARCH_5
    changed = str(old["UID"])
    before_blocks, after_blocks = event_blocks(before), event_blocks(after)
    assert set(before_blocks) == set(after_blocks)
    for uid, block in before_blocks.items():
        if uid != f"UID:{changed}":
            assert after_blocks[uid] == block, "an untouched talk must not change"
    assert calendar(repo) == after


def test_every_calendar_holding_the_talk_agrees(repo: Path) -> None:
    edit(repo, SCHEDULE, "title: 张庄的变化", "title: 张庄的新变化")
    commit(repo, MARCH_5)
    published = files(repo)

    for path in ("troupe/schedule.ics", "troupe/cities/kaifeng.ics"):
        assert sequence(events(published[path])["张庄的新变化"]) == seconds(MARCH_5), path
    for member in ("wang-xiaohong", "zhao-tiezhu"):
        held = events(published[f"troupe/members/{member}.ics"])
        assert sequence(held["张庄的新变化"]) == seconds(MARCH_5), member


def test_a_cancelled_talk_is_status_cancelled_with_a_higher_sequence(repo: Path) -> None:
    before = events(calendar(repo))["山里修路"]
    text = (repo / SCHEDULE).read_text(encoding="utf-8")
    (repo / SCHEDULE).write_text(
        text.replace("status: 计划", "status: 取消", 3).replace("status: 取消", "status: 计划", 2),
        encoding="utf-8",
    )
    commit(repo, MARCH_9, "xx-c 取消")

    after = events(calendar(repo))
    assert str(after["山里修路"]["STATUS"]) == "CANCELLED"
    assert sequence(after["山里修路"]) > sequence(before)
    assert sequence(after["张庄的变化"]) == seconds(MARCH_1)


def test_a_change_back_is_a_change_too(repo: Path) -> None:
    edit(repo, SCHEDULE, "venue: 村委会广场", "venue: 村小学操场")
    commit(repo, MARCH_5)
    edit(repo, SCHEDULE, "venue: 村小学操场", "venue: 村委会广场")
    commit(repo, MARCH_9)

    assert sequence(events(calendar(repo))["张庄的变化"]) == seconds(MARCH_9)


# -- what is no change ------------------------------------------------------------------------


def test_commits_that_leave_a_talk_as_it_was_keep_its_sequence(repo: Path) -> None:
    before = calendar(repo)
    # Quoting a time or not, comments and order in the file, and a member's bio or photo are
    # not in the calendar; nor is moving a talk to a file of its own.
    edit(repo, SCHEDULE, 'start: "14:00"', "start: 14:00")
    edit(repo, SCHEDULE, "# 测试日程", "# 开封市的宣讲日程，协调员：王")
    edit(repo, MEMBERS_FILE, "bio: 在张庄村驻村四年。", "bio: 在张庄村驻村五年。")
    commit(repo, MARCH_5)
    (repo / SCHEDULE).write_text(talks_yaml(TALKS[:2]), encoding="utf-8")
    (repo / "docs/troupe/schedule/xinxiang.yml").write_text(talks_yaml(TALKS[2:]), "utf-8")
    commit(repo, MARCH_9)

    assert calendar(repo) == before


def test_an_unrelated_talk_added_changes_no_other_event(repo: Path) -> None:
    before = event_blocks(calendar(repo))
    (repo / SCHEDULE).write_text(
        talks_yaml([talk("kf-new", date="2021-01-05", title="新加的一场"), *TALKS]), "utf-8"
    )
    commit(repo, MARCH_5)

    after = event_blocks(calendar(repo))
    assert len(after) == len(before) + 1
    assert all(after[uid] == block for uid, block in before.items())


# -- what else a calendar shows ---------------------------------------------------------------


def test_renaming_a_speaker_updates_only_their_talks(repo: Path) -> None:
    edit(repo, MEMBERS_FILE, "name: 李建国", "name: 李建军")
    commit(repo, MARCH_5)

    after = events(calendar(repo))
    assert "李建军" in str(after["山里修路"]["DESCRIPTION"])
    assert sequence(after["山里修路"]) == seconds(MARCH_5)
    assert sequence(after["张庄的变化"]) == seconds(MARCH_1)


def test_retitling_a_linked_story_updates_the_talk(repo: Path) -> None:
    story = repo / "docs/stories" / STORY_FOLDER / "index.md"
    story.parent.mkdir(parents=True)
    story.write_text(STORY_TEXT.format(title="张庄的光伏板"), encoding="utf-8")
    edit(repo, SCHEDULE, "status: 计划", f"status: 已完成\n  stories:\n    - {STORY_FOLDER}", 2)
    edit(repo, SCHEDULE, f"status: 已完成\n  stories:\n    - {STORY_FOLDER}", "status: 计划")
    commit(repo, MARCH_5)
    held_before = sequence(events(calendar(repo))["光伏板晒出好日子"])

    story.write_text(STORY_TEXT.format(title="张庄的光伏板，晒出了好日子"), encoding="utf-8")
    commit(repo, MARCH_9)
    after = events(calendar(repo))
    assert held_before == seconds(MARCH_5)
    assert sequence(after["光伏板晒出好日子"]) == seconds(MARCH_9)
    assert sequence(after["张庄的变化"]) == seconds(MARCH_1)

    story.write_text(
        STORY_TEXT.format(title="张庄的光伏板，晒出了好日子") + "\n更多正文。\n", "utf-8"
    )
    commit(repo, MARCH_9 + dt.timedelta(days=1))
    assert sequence(events(calendar(repo))["光伏板晒出好日子"]) == seconds(MARCH_9)


# -- not committed yet, no history, merges ----------------------------------------------------


def test_an_edit_not_yet_committed_counts_from_the_files_modification(repo: Path) -> None:
    edit(repo, SCHEDULE, 'end: "15:30"', 'end: "16:00"')
    saved = dt.datetime(2021, 3, 3, 12, 0, tzinfo=UTC)
    os.utime(repo / SCHEDULE, (saved.timestamp(), saved.timestamp()))

    first = calendar(repo)
    after = events(first)
    assert sequence(after["光伏板晒出好日子"]) == seconds(saved)
    assert after["光伏板晒出好日子"].decoded("DTSTAMP") == saved
    assert sequence(after["张庄的变化"]) == seconds(MARCH_1)  # same file, not edited
    assert calendar(repo) == first


def test_without_git_history_the_stamp_is_fixed_and_sequence_zero(tmp_path: Path) -> None:
    root = tmp_path / "export"
    write(root, {"kaifeng.yml": TALKS})

    text = calendar(root)
    for event in events(text).values():
        assert sequence(event) == 0
        assert event.decoded("DTSTAMP") == dt.datetime(2021, 1, 1, tzinfo=UTC)
    assert calendar(root) == text


def test_a_merged_change_counts_from_the_merge(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "xinxiang")
    edit(repo, SCHEDULE, "venue: 文化广场", "venue: 村委会")
    commit(repo, MARCH_5, "裴寨改场地")
    git(repo, "checkout", "-q", "main")
    edit(repo, MEMBERS_FILE, "bio: 快板书演员。", "bio: 快板书演员，兰考人。")
    commit(repo, MARCH_1 + dt.timedelta(days=1))
    git(repo, "merge", "-q", "--no-ff", "-m", "合并", "xinxiang", when=MARCH_9)

    after = events(calendar(repo))
    assert str(after["山里修路"]["LOCATION"]).endswith("村委会")
    assert sequence(after["山里修路"]) == seconds(MARCH_9)


# -- the conference-app schedules agree ------------------------------------------------------


def frab_versions(published: Mapping[str, str]) -> tuple[str, str]:
    xml = published["troupe/schedule.xml"]
    json_version = json.loads(published["troupe/schedule.json"])["schedule"]["version"]
    return xml.split("<version>")[1].split("</version>")[0], json_version


def test_schedule_versions_change_with_the_calendars(repo: Path) -> None:
    first = frab_versions(files(repo))
    edit(repo, MEMBERS_FILE, "bio: 快板书演员。", "bio: 快板书演员，兰考人。")
    commit(repo, MARCH_5)
    assert frab_versions(files(repo)) == first

    edit(repo, MEMBERS_FILE, "unit: 兰考县文化馆", "unit: 开封市文化馆")
    commit(repo, MARCH_9)
    xml_version, json_version = frab_versions(files(repo))
    assert xml_version == json_version != first[0]
