"""The samples plus personal numbers in every channel and in every written form, through real
builds: a lenient build (what `make serve` publishes) puts none of them anywhere in site/,
not in a page, feed, calendar, subtitle, sitemap or search index, nor in a file or folder
name; a strict build and `scripts/check` fail naming each place."""

from __future__ import annotations

import gzip
import io
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import mediakit
import pytest
import sitekit
import yaml
from huatuopin.personaldata import find_personal_data
from personalkit import CARD_16, ID, ID_X, UNIONPAY_19, full_width, grouped

REPO_ROOT = sitekit.REPO_ROOT
SAMPLES = ("docs/stories", "docs/villages", "docs/troupe")
# What a reader or a program can fetch as text; images, video and audio are checked by name.
TEXT_SUFFIXES = {".html", ".json", ".xml", ".ics", ".vtt", ".csv", ".txt", ".atom", ".rss"}

FOLDER_STORY = "2021-03-12-138-1234-5678"
FIELDS_STORY = "2021-03-13-zhangzhuang-laoli"
SUBTITLED_STORY = "2021-03-14-zhangzhuang-hechang"
NAMED_PROFILE = "docs/villages/kaifeng/lankao/zhaozhuang-13812345678.md"
TEXT_PROFILE = "docs/villages/kaifeng/lankao/wangzhuang.md"
MEMBERS = "docs/troupe/members.yml"
SCHEDULE = "docs/troupe/schedule/zz-ceshi.yml"
ZERO_WIDTH = "\u200b"
ESCAPED_MOBILE = "".join(f"\\u{ord(c):04x}" for c in "15012345678")

FIELDS_STORY_TEXT = f"""---
title: 老李的新房 {full_width("13812345678")}
date: 2021-03-13
activity: 回村看
city: 开封市
county: 兰考县
township: 东坝头镇 0086-137-0000-1111
village: 张庄村
form: 摄影
authors:
  - name: 王小红{ZERO_WIDTH}139{ZERO_WIDTH}1234{ZERO_WIDTH}5678
    role: 媒体记者
    org: 开封日报 {grouped(UNIONPAY_19, (4, 4, 4, 4, 3))}
summary: 想了解情况请联系 +86 139.1234.5678
cover: laoli-13812345678.jpg
pairs:
  - before: before.jpg
    after: after.jpg
    before_year: 2016
    after_year: 2021
    theme: 住房
    caption: 危房改造前后 {grouped(ID, (6, 8, 4))}
tags: [光伏, "(+86) 150 1234 5678"]
consent: true
---

老李家的新房子盖好了，有事打他电话 138 1234
5678。

![李大爷，卡号 {grouped(CARD_16, (4, 4, 4, 4), ".")}](before.jpg)

![新房](laoli-13812345678.jpg)

身份证：{full_width(ID_X)}

电话&#49;&#51;&#54;&#49;&#50;&#51;&#52;&#53;&#54;&#55;&#56;
"""

VTT = f"""WEBVTT

00:00:00.000 --> 00:00:00.500
大家好，有事打 138 1234 5678

00:00:00.500 --> 00:00:01.000
卡号 {grouped(UNIONPAY_19, (4, 4, 4, 4, 3), "·")}
"""

PROFILE = """---
name: {name}
township: 东坝头镇
county: 兰考县
city: 开封市
industries:
  - 光伏发电
  - {industry}
support_units:
  - 兰考县农业农村局{unit}
---

## 村情

村集体的收款卡号是{card}。
"""

MEMBER = """
- id: zz-ceshi
  name: 测试员
  category: 文艺工作者
  unit: 兰考县文化馆
  city: 开封市
  bio: 有事打 138 1234 5678，或者 {id_}
"""

TALK = f"""# 联系人 139·1234·5678
- id: zz-0401-zhangzhuang
  date: 2021-04-01
  start: "15:00"
  end: "16:00"
  city: 开封市
  county: 兰考县
  village: 张庄村
  venue: 村委会广场（{full_width("0086 137 0000 1111")}）
  speakers: [sun-desheng]
  title: "报名 {ESCAPED_MOBILE}"
  form: 微宣讲
  status: 计划
"""


@dataclass
class Injected:
    project: Path
    places: list[str] = field(default_factory=list)  # `path:line: field` of each number

    def add(self, rel: str, needle: str | None, field_name: str) -> None:
        line = 1 if needle is None else line_of(self.project / rel, needle)
        self.places.append(f"{rel}:{line}: {field_name}:")


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(n for n, text in enumerate(lines, start=1) if needle in text)


def write(project: Path, rel: str, content: str | bytes) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)


def make_injected_project(root: Path) -> Injected:
    project = sitekit.make_project(root, {})
    for folder in SAMPLES:
        shutil.copytree(REPO_ROOT / folder, project / folder, dirs_exist_ok=True)
    injected = Injected(project)
    stories = "docs/stories"

    write(project, f"{stories}/{FOLDER_STORY}/index.md", sitekit.story_text("老宅新貌"))
    injected.add(f"{stories}/{FOLDER_STORY}/index.md", None, "文件夹名")

    story = f"{stories}/{FIELDS_STORY}/index.md"
    write(project, story, FIELDS_STORY_TEXT)
    for name in ("before.jpg", "after.jpg", "laoli-13812345678.jpg"):
        write(project, f"{stories}/{FIELDS_STORY}/{name}", mediakit.small_jpeg())
    for needle, field_name in [
        ("title:", "title"),
        ("township:", "township"),
        ("  - name:", "authors[0].name"),
        ("org:", "authors[0].org"),
        ("summary:", "summary"),
        ("cover:", "cover"),
        ("caption:", "pairs[0].caption"),
        ("tags:", "tags[1]"),
        ("有事打他电话", "正文"),
        ("![李大爷", "正文"),
        ("![新房]", "正文"),
        ("身份证：", "正文"),
        ("电话&#49;", "正文"),
    ]:
        injected.add(story, needle, field_name)

    subtitled = f"{stories}/{SUBTITLED_STORY}"
    clip = mediakit.make_video(root / "clip.mp4", size="160x120", seconds=1)
    write(project, f"{subtitled}/clip.mp4", clip.read_bytes())
    write(project, f"{subtitled}/clip.vtt", VTT)
    write(
        project,
        f"{subtitled}/index.md",
        sitekit.story_text(
            "村民合唱",
            date="2021-03-14",
            activity="亮成果",
            form="视频",
            extra="videos:\n  - file: clip.mp4\n    caption: 合唱\n    subtitles: clip.vtt\n"
            "consent: true\n",
        ),
    )
    injected.add(f"{subtitled}/clip.vtt", "有事打", "字幕")
    injected.add(f"{subtitled}/clip.vtt", "卡号", "字幕")

    write(project, NAMED_PROFILE, PROFILE.format(name="赵庄村", industry="养牛", unit="", card=""))
    injected.add(NAMED_PROFILE, None, "文件名")
    card = grouped(CARD_16, (4, 4, 4, 4), "-")  # wrapped before a hyphen below
    profile = PROFILE.format(
        name="王庄村",
        industry="联系 １３９．１２３４．５６７８",
        unit=f" {grouped(ID, (6, 4, 4, 4), '-')}",
        card=f" {card[:9]}\n{card[9:]}",
    )
    write(project, TEXT_PROFILE, profile)
    injected.add(TEXT_PROFILE, "联系 ", "industries[1]")
    injected.add(TEXT_PROFILE, "兰考县农业农村局 ", "support_units[0]")
    injected.add(TEXT_PROFILE, "收款卡号", "正文")

    members_text = (project / MEMBERS).read_text(encoding="utf-8")
    index = len(yaml.safe_load(members_text))
    write(project, MEMBERS, members_text + MEMBER.format(id_=grouped(ID_X, (6, 8, 4))))
    injected.add(MEMBERS, "bio: 有事打", f"[{index}].bio")
    write(project, SCHEDULE, TALK)
    injected.add(SCHEDULE, "联系人", "注释")
    injected.add(SCHEDULE, "venue:", "[0].venue")
    injected.add(SCHEDULE, "title:", "[0].title")
    return injected


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> Injected:
    return make_injected_project(tmp_path_factory.mktemp("personal-data"))


@pytest.fixture(scope="module")
def lenient(injected: Injected) -> sitekit.BuildResult:
    result = sitekit.build(injected.project, strict=False)
    assert result.returncode == 0, result.output
    return result


def published_texts(site: Path) -> Iterator[tuple[str, str]]:
    """(where, text) of every name in site/ and of every file a reader can read as text,
    gzip and xlsx (zip) files unpacked, and the search index's page records."""
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        yield f"name {rel}", rel
        if not path.is_file():
            continue
        if path.suffix == ".gz":
            yield rel, gzip.decompress(path.read_bytes()).decode("utf-8")
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as workbook:
                for member in workbook.namelist():
                    yield f"{rel}!{member}", workbook.read(member).decode("utf-8")
        elif path.suffix in TEXT_SUFFIXES:
            yield rel, path.read_text(encoding="utf-8")


def test_nothing_published_holds_a_personal_number(lenient: sitekit.BuildResult) -> None:
    site = lenient.site_dir
    assert (site / "stories/2021-03-12-zhangzhuang-guangfu/index.html").is_file()  # samples
    assert (site / "troupe/schedule.ics").is_file() and (site / "sitemap.xml").is_file()
    assert (site / "search-index/manifest.json").is_file()

    scanned = 0
    leaks = []
    for where, text in published_texts(site):
        scanned += 1
        leaks += [f"{where}: {finding.message}" for finding in find_personal_data(text)]

    assert leaks == []
    assert scanned > 100


def test_what_holds_a_number_is_left_out_and_the_rest_is_published(
    lenient: sitekit.BuildResult,
) -> None:
    site = lenient.site_dir
    for folder in (FOLDER_STORY, FIELDS_STORY, SUBTITLED_STORY):
        assert not (site / "stories" / folder).exists()
    assert not list(site.rglob("*zhaozhuang*")) and not list(site.rglob("*wangzhuang*"))
    assert not (site / "troupe/members/zz-ceshi").exists()
    assert "zz-0401-zhangzhuang" not in (site / "troupe/schedule.ics").read_text("utf-8")
    assert (site / "troupe/members/sun-desheng/index.html").is_file()


def test_strict_build_fails_naming_every_place(
    injected: Injected, lenient: sitekit.BuildResult, tmp_path: Path
) -> None:
    result = sitekit.build(injected.project, strict=True, site_dir=tmp_path / "site")

    assert result.returncode != 0
    missing = [place for place in injected.places if place not in result.output]
    assert missing == [], result.output


def test_check_fails_naming_every_place(injected: Injected) -> None:
    result = sitekit.check(injected.project)

    assert result.returncode == 1, result.stdout + result.stderr
    missing = [place for place in injected.places if place not in result.stdout]
    assert missing == [], result.stdout
    report = [line for line in result.stdout.splitlines() if "个人联系方式" in line]
    assert report and all("13812345678" not in line.split(": ", 2)[-1] for line in report)
