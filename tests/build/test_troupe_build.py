"""The troupe through real builds: conflicts stop `mkdocs build --strict` and `scripts/check`
(what `make build` and `make check` run), the sample's feeds are valid and byte-identical
across two builds, and every link a talk makes lands on a page of the site."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sitekit
import yaml
from icalendar import Calendar

REPO_ROOT = sitekit.REPO_ROOT
SCHEDULE = "docs/troupe/schedule"

STORY = sitekit.story_text("张庄的光伏板", summary="屋顶上的光伏板。")
STORIES = {
    "2021-03-12-zhangzhuang": STORY,
    "2021-03-13-peizhai": STORY.replace("开封市", "新乡市")
    .replace("兰考县", "辉县市")
    .replace("张庄村", "裴寨村"),
}
MEMBERS = """\
- id: wang-xiaohong
  name: 王小红
  category: 驻村第一书记
  unit: 兰考县农业农村局
  city: 开封市
  bio: 在张庄村驻村四年。
- id: zhao-tiezhu
  name: 赵铁柱
  category: 文艺工作者
  unit: 兰考县文化馆
  city: 开封市
  bio: 快板书演员。
"""
ZHANGZHUANG = """\
- id: kf-a
  date: 2021-03-12
  start: "09:30"
  end: "10:30"
  city: 开封市
  county: 兰考县
  village: 张庄村
  venue: 村委会广场
  speakers:
    - wang-xiaohong
  title: 张庄的变化
  form: 微宣讲
  status: 计划
"""


def other_talk(start: str, end: str, speaker: str, *, at_peizhai: bool) -> str:
    place = (
        "  city: 新乡市\n  county: 辉县市\n  village: 裴寨村\n  venue: 文化广场\n"
        if at_peizhai
        else "  city: 开封市\n  county: 兰考县\n  village: 张庄村\n  venue: 村委会广场\n"
    )
    return (
        f'- id: xx-b\n  date: 2021-03-12\n  start: "{start}"\n  end: "{end}"\n{place}'
        f"  speakers:\n    - {speaker}\n  title: 第二场\n  form: 微宣讲\n  status: 计划\n"
    )


def troupe_project(root: Path, second: str, *, buffer: int | None = None) -> Path:
    project = sitekit.make_project(root, STORIES)
    (project / SCHEDULE).mkdir(parents=True)
    (project / "docs/troupe/members.yml").write_text(MEMBERS, encoding="utf-8")
    (project / SCHEDULE / "a-kaifeng.yml").write_text(ZHANGZHUANG, encoding="utf-8")
    (project / SCHEDULE / "b-xinxiang.yml").write_text(second, encoding="utf-8")
    if buffer is not None:
        sitekit.override_config(project, {"extra": {"troupe": {"travel_buffer_minutes": buffer}}})
    return project


def line_of(path: Path, needle: str) -> int:
    return sitekit.line_of(path.read_text("utf-8"), needle)


CONFLICTS = {
    # name: (second file's talk, field at the first place, needle for its line, words)
    "double-booked member": (
        other_talk("10:00", "11:00", "wang-xiaohong", at_peizhai=True),
        "[0].speakers[0]",
        "- wang-xiaohong",
        "同时排在两场宣讲里",
    ),
    "venue clash": (
        other_talk("10:00", "11:00", "zhao-tiezhu", at_peizhai=False),
        "[0].venue",
        "venue: 村委会广场",
        "同一时间安排了两场宣讲",
    ),
    "too-tight trip": (
        other_talk("11:00", "12:00", "wang-xiaohong", at_peizhai=True),
        "[0].speakers[0]",
        "- wang-xiaohong",
        "中间只有 30 分钟，跨县（市、区）至少要留 60 分钟",
    ),
}


@pytest.mark.parametrize("kind", list(CONFLICTS))
def test_a_conflict_fails_build_and_check_naming_both_talks(tmp_path: Path, kind: str) -> None:
    second, field, needle, words = CONFLICTS[kind]
    project = troupe_project(tmp_path / "project", second)
    first_file = project / SCHEDULE / "a-kaifeng.yml"
    second_file = project / SCHEDULE / "b-xinxiang.yml"
    first_place = f"{SCHEDULE}/a-kaifeng.yml:{line_of(first_file, needle)}: {field}: "
    second_place = f"{SCHEDULE}/b-xinxiang.yml:{line_of(second_file, needle)} 的 xx-b"

    built = sitekit.build(project)
    checked = sitekit.check(project)

    assert built.returncode != 0, built.output
    assert checked.returncode == 1, checked.stdout + checked.stderr
    for output in (built.output, checked.stdout):
        line = next((ln for ln in output.splitlines() if first_place in ln), None)
        assert line is not None, output
        assert second_place in line and "kf-a" in line and words in line


def test_the_travel_buffer_is_read_from_mkdocs_yml(tmp_path: Path) -> None:
    project = troupe_project(
        tmp_path / "project",
        other_talk("11:00", "12:00", "wang-xiaohong", at_peizhai=True),
        buffer=20,
    )

    built = sitekit.build(project)

    assert built.returncode == 0, built.output
    assert sitekit.check(project).returncode == 0


# -- calendars that update ---------------------------------------------------------------


def git_commit(project: Path, when: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(project.parent),  # no one's own git settings (signing, hooks)
        "GIT_AUTHOR_NAME": "协调员",
        "GIT_AUTHOR_EMAIL": "coordinator@example.org",
        "GIT_COMMITTER_NAME": "协调员",
        "GIT_COMMITTER_EMAIL": "coordinator@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    for args in (["add", "-A"], ["commit", "-q", "-m", "日程"]):
        subprocess.run(["git", "-C", str(project), *args], env=env, check=True)


@pytest.mark.skipif(sitekit.missing_here("git"), reason="needs git: calendars date talks from it")
def test_a_committed_change_of_time_updates_that_event_in_the_built_calendar(
    tmp_path: Path,
) -> None:
    project = troupe_project(
        tmp_path / "project", other_talk("14:00", "15:00", "zhao-tiezhu", at_peizhai=True)
    )
    subprocess.run(["git", "-C", str(project), "init", "-q"], check=True)
    (project / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    git_commit(project, "2021-03-01T08:00:00+00:00")
    first = sitekit.build(project, site_dir=tmp_path / "first")
    again = sitekit.build(project, site_dir=tmp_path / "again")
    (project / SCHEDULE / "b-xinxiang.yml").write_text(
        other_talk("14:30", "15:30", "zhao-tiezhu", at_peizhai=True), encoding="utf-8"
    )
    git_commit(project, "2021-03-05T09:30:00+00:00")
    moved = sitekit.build(project, site_dir=tmp_path / "moved")
    for built in (first, again, moved):
        assert built.returncode == 0, built.output

    ics = "troupe/schedule.ics"
    assert (first.site_dir / ics).read_bytes() == (again.site_dir / ics).read_bytes()
    before, after = (
        {str(e["SUMMARY"]): e for e in Calendar.from_ical(b.read_text("utf-8")).walk("VEVENT")}
        for b in (first.site_dir / ics, moved.site_dir / ics)
    )
    assert int(after["第二场"]["SEQUENCE"]) > int(before["第二场"]["SEQUENCE"]) > 0
    assert after["第二场"].decoded("DTSTAMP").isoformat() == "2021-03-05T09:30:00+00:00"
    assert before["张庄的变化"].to_ical() == after["张庄的变化"].to_ical()
    unchanged = "troupe/members/wang-xiaohong.ics"
    assert (first.site_dir / unchanged).read_bytes() == (moved.site_dir / unchanged).read_bytes()


# -- the repository's sample --------------------------------------------------------------


def feed_paths(site: Path) -> list[Path]:
    return sorted(p.relative_to(site) for p in (site / "troupe").rglob("*") if p.is_file())


def test_two_builds_give_byte_identical_troupe_files(
    sample_site: sitekit.StaticSite, tmp_path: Path
) -> None:
    again = sitekit.build(REPO_ROOT, site_dir=tmp_path / "site")
    assert again.returncode == 0, again.output
    first, second = sample_site.site_dir, again.site_dir

    paths = feed_paths(first)
    assert paths == feed_paths(second)
    kinds = {p.suffix for p in paths}
    assert {".ics", ".xml", ".json", ".html"} <= kinds
    for path in paths:
        assert (first / path).read_bytes() == (second / path).read_bytes(), path


def test_sample_calendars_and_schedules_are_produced_and_valid(
    sample_site: sitekit.StaticSite,
) -> None:
    site = sample_site.site_dir / "troupe"
    members = yaml.safe_load((REPO_ROOT / "docs/troupe/members.yml").read_text("utf-8"))

    assert (site / "schedule.ics").is_file()
    for member in members:
        assert (site / "members" / f"{member['id']}.ics").is_file()
        assert (site / "members" / member["id"] / "index.html").is_file()
    assert (site / "cities" / "kaifeng.ics").is_file()
    assert (site / "cities" / "kaifeng" / "index.html").is_file()
    assert not list(site.rglob("*.yml")), "troupe sources must not be published"

    xsd = sitekit.frab_reference("schedule.xml.xsd")
    assert shutil.which("xmllint"), "xmllint is missing: install libxml2-utils"
    lint = subprocess.run(
        ["xmllint", "--noout", "--schema", str(xsd), str(site / "schedule.xml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stderr

    from jsonschema import Draft6Validator

    schema = json.loads(sitekit.frab_reference("schedule.schema.json").read_text("utf-8"))
    document = json.loads((site / "schedule.json").read_text("utf-8"))
    validator = Draft6Validator(schema, format_checker=Draft6Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(document)] == []


def test_every_link_on_the_schedule_lands_on_a_page(sample_site: sitekit.StaticSite) -> None:
    page = sample_site.site_dir / "troupe" / "schedule" / "index.html"
    html = page.read_text("utf-8")
    links = set(re.findall(r'href="(\.\./\.\./(?:villages|stories|troupe)/[^"#]*)"', html))

    assert any("/villages/" in link for link in links)
    assert any("/stories/" in link for link in links)
    for link in links:
        target = (page.parent / link).resolve()
        if not target.suffix:
            target = target / "index.html"
        assert target.is_file(), link


def test_mkdocs_serve_serves_the_troupe_pages_and_feeds(
    tmp_path: Path, serve_project: sitekit.ServeProjectFactory
) -> None:
    project = troupe_project(
        tmp_path / "project", other_talk("14:00", "15:00", "wang-xiaohong", at_peizhai=True)
    )
    served = serve_project(project)

    for path, start in [
        ("/troupe/schedule.ics", "BEGIN:VCALENDAR"),
        ("/troupe/members/wang-xiaohong.ics", "BEGIN:VCALENDAR"),
        ("/troupe/cities/xinxiang.ics", "BEGIN:VCALENDAR"),
        ("/troupe/schedule.xml", "<?xml"),
        ("/troupe/schedule.json", "{"),
    ]:
        status, body = sitekit.fetch(served.url(path))
        assert (status, body[: len(start)]) == (200, start), path
    status, page = sitekit.fetch(served.url("/troupe/members/wang-xiaohong/"))
    assert status == 200 and "张庄的变化" in page and "第二场" in page
    status, _ = sitekit.fetch(served.url("/troupe/schedule/a-kaifeng.yml"))
    assert status == 404  # sources are never served
