"""Calendars and conference-app schedules: parsed back, validated, and stable."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import sitekit
from huatuopin.gazetteer import load_gazetteer
from huatuopin.settings import CampaignSettings
from huatuopin.troupe import feeds
from huatuopin.troupe.feeds import EXPORTERS, FeedContext, feed_files, feed_scopes
from huatuopin.troupe.feeds.base import Exporter, Scope
from huatuopin.troupe.feeds.frab_json import FrabJsonExporter
from huatuopin.troupe.feeds.frab_xml import FrabXmlExporter
from huatuopin.troupe.models import Troupe
from icalendar import Calendar
from jsonschema import Draft6Validator
from troupekit import STORY_FOLDER, load, talk, write

# The schemas are read from shared/ beside the repository, never copied (sitekit).
XSD = "schedule.xml.xsd"
JSON_SCHEMA = "schedule.schema.json"
SITE_URL = "https://huatuopin.example.org/"
UTC = dt.UTC

TALKS = [
    talk("kf-a", speakers=["wang-xiaohong", "zhao-tiezhu"]),
    talk(
        "kf-b",
        date="2021-03-13",
        start='"14:00"',
        end='"15:30"',
        status="已完成",
        stories=[STORY_FOLDER],
        title="光伏板晒出好日子",
    ),
    talk(
        "xx-c",
        date="2021-04-02",
        city="新乡市",
        county="辉县市",
        village="裴寨村",
        venue="文化广场",
        speakers=["li-jianguo"],
        status="取消",
        title="一个很长很长的标题：脱贫路上不掉队，大家一起奔小康，奋进新时代",
    ),
]


def troupe_of(tmp_path: Path, talks: list[dict[str, object]] = TALKS) -> Troupe:
    result = load(write(tmp_path, {"kaifeng.yml": talks}))
    assert result.problems == (), "\n".join(map(str, result.problems))
    return result.troupe


def files_of(troupe: Troupe) -> dict[str, str]:
    context = FeedContext(SITE_URL, CampaignSettings())
    files = feed_files(context, feed_scopes(troupe, load_gazetteer()))
    paths = [file.path for file in files]
    assert len(paths) == len(set(paths)), "two files at one path"
    return {file.path: file.content for file in files}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    return files_of(troupe_of(tmp_path))


# -- which files ---------------------------------------------------------------------------


def test_every_calendar_kind_and_both_schedules_are_produced(files: dict[str, str]) -> None:
    assert "troupe/schedule.ics" in files
    assert {f"troupe/members/{m}.ics" for m in ("wang-xiaohong", "li-jianguo", "zhao-tiezhu")} <= (
        set(files)
    )
    cities = {city.slug for city in load_gazetteer().cities.values()}
    assert {f"troupe/cities/{slug}.ics" for slug in cities} <= set(files)
    assert {"troupe/schedule.xml", "troupe/schedule.json"} <= set(files)


def test_each_exporter_names_its_format() -> None:
    assert [(e.identifier, e.extension, e.content_type.split(";")[0]) for e in EXPORTERS] == [
        ("ics", ".ics", "text/calendar"),
        ("schedule.xml", ".xml", "application/xml"),
        ("schedule.json", ".json", "application/json"),
    ]


def test_every_file_is_an_exporter_s_file_of_a_scope_with_its_extension(tmp_path: Path) -> None:
    troupe = troupe_of(tmp_path)
    files = feed_files(
        FeedContext(SITE_URL, CampaignSettings()), feed_scopes(troupe, load_gazetteer())
    )

    for file in files:
        assert file.path == file.exporter.path(file.scope)
        assert file.path.endswith(file.exporter.extension), file.path
    whole = [file for file in files if file.scope.kind == "schedule"]
    assert sorted(f.path for f in whole) == [
        "troupe/schedule.ics",
        "troupe/schedule.json",
        "troupe/schedule.xml",
    ]
    member = [f.path for f in files if f.scope.key == "wang-xiaohong"]
    assert member == ["troupe/members/wang-xiaohong.ics"], "apps read the whole schedule only"


class PlainTextExporter(Exporter):
    """A format the publisher has never heard of: one line per talk, for members only."""

    identifier = "txt"
    extension = ".txt"
    content_type = "text/plain; charset=utf-8"

    def path(self, scope: Scope) -> str | None:
        return f"troupe/members/{scope.key}.txt" if scope.kind == "member" else None

    def render(self, context: FeedContext, scope: Scope) -> str:
        return "".join(f"{talk.date} {talk.title}\n" for talk in scope.talks)


def test_a_format_added_to_the_registry_is_published_for_the_scopes_it_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    troupe = troupe_of(tmp_path)
    monkeypatch.setattr(feeds, "EXPORTERS", (*EXPORTERS, PlainTextExporter()))

    files = files_of(troupe)

    texts = {path: text for path, text in files.items() if path.endswith(".txt")}
    assert set(texts) == {f"troupe/members/{m.id}.txt" for m in troupe.members}
    assert texts["troupe/members/li-jianguo.txt"] == f"2021-04-02 {TALKS[2]['title']}\n"
    assert "troupe/schedule.ics" in files and "troupe/schedule.json" in files


# -- iCalendar ---------------------------------------------------------------------------


def test_calendar_parses_back_to_the_same_talks_and_times(files: dict[str, str]) -> None:
    calendar = Calendar.from_ical(files["troupe/schedule.ics"])
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}

    assert len(events) == 3
    by_summary = {str(e["SUMMARY"]): e for e in events.values()}
    first = by_summary["张庄的变化"]
    start = first.decoded("DTSTART")
    # 09:30 in Shanghai is 01:30 UTC.
    assert start.astimezone(UTC) == dt.datetime(2021, 3, 12, 1, 30, tzinfo=UTC)
    assert first.decoded("DTEND").astimezone(UTC) == dt.datetime(2021, 3, 12, 2, 30, tzinfo=UTC)
    assert str(first["LOCATION"]) == "河南省开封市兰考县张庄村 村委会广场"
    assert "王小红" in str(first["DESCRIPTION"]) and "赵铁柱" in str(first["DESCRIPTION"])
    held = next(e for e in events.values() if "状态：已完成" in str(e["DESCRIPTION"]))
    assert f"{SITE_URL}stories/{STORY_FOLDER}/" in str(held["DESCRIPTION"])


def test_times_are_written_in_shanghai_with_its_vtimezone(files: dict[str, str]) -> None:
    text = files["troupe/schedule.ics"]

    assert "DTSTART;TZID=Asia/Shanghai:20210312T093000\r\n" in text
    assert "DTEND;TZID=Asia/Shanghai:20210312T103000\r\n" in text
    calendar = Calendar.from_ical(text)
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Asia/Shanghai"]
    assert "TZOFFSETTO:+0800" in text
    assert "COMMENT" not in text  # clients reject the library's COMMENT in VTIMEZONE


def test_calendar_header_properties(files: dict[str, str]) -> None:
    text = files["troupe/members/wang-xiaohong.ics"]
    calendar = Calendar.from_ical(text)

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//huatuopin//")
    assert str(calendar["NAME"]) == "脱贫故事宣讲团 · 王小红"
    assert str(calendar["X-WR-CALNAME"]) == "脱贫故事宣讲团 · 王小红"
    assert re.search(r"^REFRESH-INTERVAL;VALUE=DURATION:P", text, re.MULTILINE)
    assert len(calendar.walk("VEVENT")) == 2  # her talks only


def test_uid_and_dtstamp_are_deterministic(files: dict[str, str]) -> None:
    events = Calendar.from_ical(files["troupe/schedule.ics"]).walk("VEVENT")

    for event in events:
        uuid.UUID(str(event["UID"]))
        assert event.decoded("DTSTAMP") == dt.datetime(2021, 1, 1, tzinfo=UTC)


def test_cancelled_talk_is_status_cancelled(files: dict[str, str]) -> None:
    events = Calendar.from_ical(files["troupe/schedule.ics"]).walk("VEVENT")
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in events}

    cancelled = [s for s, status in statuses.items() if status == "CANCELLED"]
    assert len(cancelled) == 1 and cancelled[0].startswith("一个很长很长的标题")
    assert sorted(statuses.values()).count("CONFIRMED") == 2


def test_lines_fold_at_75_octets_without_splitting_a_character(files: dict[str, str]) -> None:
    for path, text in files.items():
        if not path.endswith(".ics"):
            continue
        raw = text.encode("utf-8")
        assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
        for line in raw.split(b"\r\n"):
            assert len(line) <= 75, (path, line)
            line.decode("utf-8")  # each physical line is whole UTF-8: no split character
    text = files["troupe/schedule.ics"]
    assert "\r\n " in text  # the long Chinese title was folded


def test_empty_calendar_is_still_a_valid_calendar(files: dict[str, str]) -> None:
    calendar = Calendar.from_ical(files["troupe/cities/anyang.ics"])
    assert calendar.walk("VEVENT") == []
    assert str(calendar["X-WR-CALNAME"]) == "脱贫故事宣讲团 · 安阳市"


# -- frab / c3voc XML and JSON -------------------------------------------------------------


def xmllint(xml_path: Path) -> subprocess.CompletedProcess[str]:
    xsd = sitekit.frab_reference(XSD)
    assert shutil.which("xmllint"), "xmllint is missing: install libxml2-utils"
    return subprocess.run(
        ["xmllint", "--noout", "--schema", str(xsd), str(xml_path)],
        capture_output=True,
        text=True,
        check=False,
    )


def json_errors(document: object) -> list[str]:
    schema = json.loads(sitekit.frab_reference(JSON_SCHEMA).read_text(encoding="utf-8"))
    validator = Draft6Validator(schema, format_checker=Draft6Validator.FORMAT_CHECKER)
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]


def test_schedule_xml_is_valid_against_the_xsd(files: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "schedule.xml"
    path.write_text(files["troupe/schedule.xml"], encoding="utf-8")

    result = xmllint(path)

    assert result.returncode == 0, result.stderr


def test_schedule_json_is_valid_against_the_schema(files: dict[str, str]) -> None:
    document = json.loads(files["troupe/schedule.json"])

    assert json_errors(document) == []


def test_an_empty_schedule_is_still_valid(tmp_path: Path) -> None:
    context = FeedContext(SITE_URL, CampaignSettings())
    (whole, *_) = feed_scopes(Troupe(), load_gazetteer())
    xml_path = tmp_path / "empty.xml"
    xml_path.write_text(FrabXmlExporter().render(context, whole), encoding="utf-8")

    assert xmllint(xml_path).returncode == 0
    assert json_errors(json.loads(FrabJsonExporter().render(context, whole))) == []


def test_json_events_carry_offsets_ids_rooms_and_persons(files: dict[str, str]) -> None:
    conference = json.loads(files["troupe/schedule.json"])["schedule"]["conference"]
    events = [e for day in conference["days"] for room in day["rooms"].values() for e in room]

    assert re.fullmatch(r"[a-z0-9_]{4,}", conference["acronym"])
    assert conference["time_zone_name"] == "Asia/Shanghai"
    assert len(events) == 3
    first = next(e for e in events if e["start"] == "09:30")
    assert first["date"] == "2021-03-12T09:30:00+08:00"
    assert first["duration"] == "01:00"
    assert first["room"] == "开封市兰考县张庄村 村委会广场"
    assert first["room"] in {r["name"] for r in conference["rooms"]}
    assert [p["name"] for p in first["persons"]] == ["王小红", "赵铁柱"]
    assert all(set(p) == {"name", "guid"} for e in events for p in e["persons"])
    assert all(isinstance(e["id"], int) and e["id"] > 0 for e in events)
    assert all(str(uuid.UUID(e["guid"])) == e["guid"] for e in events)
    held = next(e for e in events if e["links"])
    assert held["links"][0]["url"] == f"{SITE_URL}stories/{STORY_FOLDER}/"
    assert any(e["title"].endswith("（已取消）") for e in events)


def test_xml_day_and_event_times_carry_the_offset(files: dict[str, str]) -> None:
    text = files["troupe/schedule.xml"]

    assert re.search(r'<day [^>]*start="2021-03-12T09:30:00\+08:00"', text)
    assert "<date>2021-03-12T09:30:00+08:00</date>" in text
    assert "<start>09:30</start>" in text


# -- stability ----------------------------------------------------------------------------


def identifiers(files: dict[str, str]) -> dict[str, tuple[str, int, str]]:
    """Per talk title: (calendar UID, frab id, frab guid)."""
    uids = {
        str(e["SUMMARY"]).removesuffix("（已取消）"): str(e["UID"])
        for e in Calendar.from_ical(files["troupe/schedule.ics"]).walk("VEVENT")
    }
    conference = json.loads(files["troupe/schedule.json"])["schedule"]["conference"]
    frab = {
        e["title"].removesuffix("（已取消）"): (e["id"], e["guid"])
        for day in conference["days"]
        for room in day["rooms"].values()
        for e in room
    }
    return {title: (uids[title], *frab[title]) for title in uids}


def test_uids_and_guids_survive_an_unrelated_talk_being_added(tmp_path: Path) -> None:
    before = identifiers(files_of(troupe_of(tmp_path / "before")))
    # A new talk first in the file and earliest in time: every position shifts.
    added = talk("new-one", date="2021-01-05", title="新加的一场", venue="新场地")
    after = identifiers(files_of(troupe_of(tmp_path / "after", [added, *TALKS])))

    assert set(after) == set(before) | {"新加的一场"}
    for title, ids in before.items():
        assert after[title] == ids
    guids = [ids[2] for ids in after.values()]
    assert len(set(guids)) == len(guids)


def test_rendering_twice_gives_identical_files(tmp_path: Path) -> None:
    troupe = troupe_of(tmp_path)
    assert files_of(troupe) == files_of(troupe)
