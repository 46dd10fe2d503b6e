"""Whole builds with hostile content: bodies full of payloads publish nothing that runs, and
markup in any contributor text reaches every template escaped, once.

The test-only hook (tests/hostile_hook.py) lets the content past validation, so these builds
show what the output side guarantees on its own: the scanner and the plain-text checks are
early warnings, not the guard.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import hostilekit
import mediakit
import pytest
import searchkit
import sitekit
from hostilekit import MARKER, add_hostile_hook, built_pages, write_village_profile

STORY = "2021-03-12-zhangzhuang-xss"
STORY_PAGE = f"stories/{STORY}/index.html"
VILLAGE_PAGE = "villages/kaifeng/lankao/zhangzhuang/index.html"
PROFILE_HEAD = "---\nname: 张庄村\ntownship: 东坝头镇\ncounty: 兰考县\ncity: 开封市\n---\n\n"

# Where the hooks put a sanitized body in each kind of page.
STORY_BODY = ('<hp-unindexed class="hp-story-body"', "</hp-unindexed>")
VILLAGE_INTRO = ('<hp-unindexed class="hp-village-intro"', "</hp-unindexed>")
VILLAGE_PLANS = ('<section class="hp-village-section hp-village-plans">', "</section>")
HOME_TEXT = ('<section class="hp-hero">', "</section>")


# -- payloads in bodies ----------------------------------------------------------------------


def payload_project(root: Path, *, scanner: bool) -> Path:
    body = hostilekit.payload_body()
    project = sitekit.make_project(root, {STORY: sitekit.story_text("光伏板上的新日子", body=body)})
    write_village_profile(
        project,
        "kaifeng/lankao/zhangzhuang.md",
        PROFILE_HEAD + f"## 村情\n\n{body}\n\n## 话未来\n\n{body}\n",
    )
    home = project / "docs" / "index.md"
    home.write_text(home.read_text(encoding="utf-8") + f"\n\n{body}\n", encoding="utf-8")
    add_hostile_hook(project, scanner=scanner)
    return project


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Payloads of every family in a story, a village profile (both parts) and docs/index.md,
    published with the scanner silenced: only the sanitizer is left to stop them."""
    project = payload_project(tmp_path_factory.mktemp("payloads"), scanner=False)
    result = sitekit.build(project, strict=False)
    assert result.returncode == 0, result.output
    return built_pages(result.site_dir)


def test_pages_with_payloads_are_published(payload_site: dict[str, str]) -> None:
    for page, (opening, closing) in [
        (STORY_PAGE, STORY_BODY),
        (VILLAGE_PAGE, VILLAGE_INTRO),
        (VILLAGE_PAGE, VILLAGE_PLANS),
        ("index.html", HOME_TEXT),
    ]:
        body = hostilekit.region(payload_site[page], opening, closing)
        assert "正文开头" in body and "正文结尾" in body, (page, opening)


def test_no_payload_is_left_in_any_page(payload_site: dict[str, str]) -> None:
    assert [page for page, html in payload_site.items() if MARKER in html] == []


def test_no_page_has_an_event_handler_or_script_url(payload_site: dict[str, str]) -> None:
    found = {page: hostilekit.executable_parts(html) for page, html in payload_site.items()}
    assert {page: parts for page, parts in found.items() if parts} == {}


@pytest.mark.parametrize(
    ("page", "where"),
    [
        (STORY_PAGE, STORY_BODY),
        (VILLAGE_PAGE, VILLAGE_INTRO),
        (VILLAGE_PAGE, VILLAGE_PLANS),
        ("index.html", HOME_TEXT),
    ],
    ids=["story", "village-intro", "village-plans", "home"],
)
def test_bodies_have_no_script_style_or_embedded_content(
    payload_site: dict[str, str], page: str, where: tuple[str, str]
) -> None:
    body = hostilekit.region(payload_site[page], *where)
    assert hostilekit.unsafe_body_parts(body) == []


def test_the_scanner_still_warns_and_a_strict_build_stops(tmp_path: Path) -> None:
    project = payload_project(tmp_path, scanner=True)
    result = sitekit.build(project, strict=True)

    assert result.returncode != 0
    for source in (f"docs/stories/{STORY}/index.md", "docs/villages/kaifeng/lankao/zhangzhuang.md"):
        for tag in ("<style>", "<svg>", "<form>", "<meta>", "<noscript>"):
            assert any(source in line and tag in line for line in result.output.splitlines()), (
                source,
                tag,
                result.output,
            )


# -- ordinary Markdown -----------------------------------------------------------------------

ORDINARY = """\
## 光伏板上的收入

村里的光伏电站**每年**分红，A&B 合作社也入了股。

- 屋顶光伏
- 蘑菇大棚

| 年份 | 分红（元） |
|:-----|-----------:|
| 2019 | 1200 |

[兰考县政府](https://example.org/lankao/)

![张大娘在新房前 "笑"](zhaopian.jpg)

!!! note "村支书说"
    日子越过越红火。
"""


def test_ordinary_markdown_renders_as_before(tmp_path: Path) -> None:
    project = sitekit.make_project(
        tmp_path,
        {STORY: sitekit.story_text("光伏板上的新日子", body=ORDINARY, extra="consent: true\n")},
        files={f"{STORY}/zhaopian.jpg": mediakit.small_jpeg()},
    )
    result = sitekit.build(project, strict=True)
    assert result.returncode == 0, result.output

    page = (result.site_dir / STORY_PAGE).read_text(encoding="utf-8")
    body = hostilekit.region(page, *STORY_BODY)
    assert '<h2 id="_1">光伏板上的收入</h2>' in body
    assert "<strong>每年</strong>" in body and "A&amp;B 合作社" in body
    assert "<li>屋顶光伏</li>" in body
    assert '<th align="left">年份</th>' in body and '<td align="right">1200</td>' in body
    assert '<a href="https://example.org/lankao/" rel="noopener noreferrer">兰考县政府</a>' in body
    assert '<div class="admonition note">' in body
    assert '<p class="admonition-title">村支书说</p>' in body
    # The body photo became our <picture>, its alt text escaped once.
    assert "<picture" in body and 'alt="张大娘在新房前 &#34;笑&#34;"' in body
    assert "&amp;amp;" not in page and "&amp;#34;" not in page and "&amp;lt;" not in page


def test_404_page_keeps_its_head(tmp_path: Path) -> None:
    """Material's 404.html is not ours; the blocks of our main.html it uses are not escaped."""
    project = sitekit.make_project(tmp_path, {})
    result = sitekit.build(project, strict=True)
    assert result.returncode == 0, result.output

    page = (result.site_dir / "404.html").read_text(encoding="utf-8")
    assert re.search(r'<script src="/assets/boot\.[0-9a-f]{10}\.js"></script>', page)
    assert '<a class="md-header__button md-icon hp-search-button" href="/search/"' in page
    assert "&lt;" not in page


def test_title_of_a_hand_written_page_comes_from_its_heading_as_plain_text(
    tmp_path: Path,
) -> None:
    """A page without a front-matter title is named by its first heading, which MkDocs hands
    over as HTML; Material printed it with `striptags`, which turns `&lt;` back into `<`: an
    escaped `</title><script>` in a heading ran as script."""
    project = sitekit.make_project(tmp_path, {})
    (project / "docs" / "guide.md").write_text(
        "# 投稿须知：A&B <em>写法</em> &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;\n\n"
        "正文。\n",
        encoding="utf-8",
    )
    result = sitekit.build(project, strict=False)
    assert result.returncode == 0, result.output

    page = (result.site_dir / "guide" / "index.html").read_text(encoding="utf-8")
    title = "投稿须知：A&amp;B 写法 &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert f"<title>{title} - " in page
    assert re.search(rf'<span class="md-ellipsis">\s*{re.escape(title)}\s*</span>', page)
    assert "<script>alert(1)" not in page


# -- markup in every contributor text --------------------------------------------------------

MARK = "ZQX"  # plain letters every loader accepts; the hook makes them TAINT after validation
TAINT = '<"&'
ESCAPED = "&lt;&#34;&amp;"
TAINTED_FIELDS = {
    # field: where its value must show, escaped
    "title": [STORY_PAGE, "stories/index.html", VILLAGE_PAGE, "gallery/index.html"],
    "summary": [STORY_PAGE, "stories/index.html"],
    "tag": [STORY_PAGE],
    "author": [STORY_PAGE, "stories/index.html"],
    "org": [STORY_PAGE],
    "township": [STORY_PAGE],
    "caption": [STORY_PAGE, "gallery/index.html", VILLAGE_PAGE],
    "video": [STORY_PAGE],
    "audio": [STORY_PAGE],
    "industry": [VILLAGE_PAGE],
    "supporter": [VILLAGE_PAGE],
    "secretary": [VILLAGE_PAGE],
    "secunit": [VILLAGE_PAGE],
    "vtownship": [VILLAGE_PAGE, "villages/kaifeng/lankao/index.html"],
    "member": ["troupe/index.html", "troupe/members/wang-xiaohong/index.html", VILLAGE_PAGE],
    "unit": ["troupe/index.html"],
    "bio": ["troupe/members/wang-xiaohong/index.html"],
    "talk": ["troupe/schedule/index.html", VILLAGE_PAGE],
    "venue": ["troupe/schedule/index.html"],
    "activity": ["problems/index.html"],
    "correction": [STORY_PAGE, "changes/index.html"],
    "reason": ["changes/index.html"],
}

TAINTED_STORY = f"""\
---
title: {MARK}title 光伏板上的新日子
date: 2021-03-12
activity: 回村看
city: 开封市
county: 兰考县
township: {MARK}township 东坝头镇
village: 张庄村
form: 摄影
authors:
  - name: {MARK}author 王小红
    role: 媒体记者
    org: {MARK}org 开封日报
summary: {MARK}summary 光伏板让老党员家有了固定收入。
cover: cover.jpg
pairs:
  - before: before.jpg
    after: after.jpg
    before_year: 2016
    after_year: 2021
    theme: 住房
    caption: {MARK}caption 危房改造前后
videos:
  - file: clip.mp4
    caption: {MARK}video 村民合唱
audios:
  - file: song.m4a
    caption: {MARK}audio 快板
tags: [{MARK}tag 光伏]
consent: true
corrections:
  - date: 2021-03-20
    note: {MARK}correction 村名已改正。
---

村里的光伏板一排排立在屋顶上。

![屋顶](roof.jpg)
"""
TAINTED_WITHDRAWAL = f"""\
---
withdrawn:
  date: 2022-03-01
  reason: {MARK}reason 当事人要求撤下
---
"""
TAINTED_PROFILE = f"""\
---
name: 张庄村
township: {MARK}vtownship 东坝头镇
county: 兰考县
city: 开封市
industries:
  - {MARK}industry 光伏
support_units:
  - {MARK}supporter 县农业农村局
first_secretaries:
  - name: {MARK}secretary 郭文静
    unit: {MARK}secunit 兰考县供电公司
    from: 2017-09
income:
  2016: 0.5
  2020: 43.6
---

## 村情

黄河故道最后一道弯上的村子。

## 话未来

再改造二十个闲置院落。
"""
TAINTED_MEMBERS = f"""\
- id: wang-xiaohong
  name: {MARK}member 王小红
  category: 驻村第一书记
  unit: {MARK}unit 兰考县农业农村局
  city: 开封市
  bio: {MARK}bio 在张庄村驻村四年。
"""
TAINTED_TALKS = f"""\
- id: kf-zhangzhuang
  date: 2021-03-12
  start: "09:30"
  end: "10:30"
  city: 开封市
  county: 兰考县
  village: 张庄村
  venue: {MARK}venue 村委会广场
  speakers: [wang-xiaohong]
  title: {MARK}talk 张庄的变化
  form: 微宣讲
  status: 已完成
  stories: [{STORY}]
"""


@pytest.fixture(scope="module")
def tainted_build(tmp_path_factory: pytest.TempPathFactory) -> sitekit.BuildResult:
    """Every kind of page, built as `make serve` would (with /problems/), with `<"&` in every
    text a contributor writes."""
    root = tmp_path_factory.mktemp("tainted")
    media = root / "media"
    media.mkdir()
    files = {
        f"{STORY}/{name}": mediakit.small_jpeg(color=color)
        for name, color in [
            ("cover.jpg", (200, 40, 40)),
            ("before.jpg", (90, 90, 90)),
            ("after.jpg", (40, 160, 60)),
            ("roof.jpg", (40, 60, 200)),
        ]
    }
    files[f"{STORY}/clip.mp4"] = mediakit.make_video(
        media / "clip.mp4", size="320x240"
    ).read_bytes()
    files[f"{STORY}/song.m4a"] = mediakit.make_audio(media / "song.m4a", seconds=1).read_bytes()
    stories = {
        STORY: TAINTED_STORY,
        # A village known only from a story: the generated village page.
        "2021-04-02-peizhai-lu": sitekit.story_text(
            "裴寨的新路", city="新乡市", county="辉县市", village="裴寨村", date="2021-04-02"
        ),
        # A story with a mistake whose message quotes the value: the /problems/ page.
        "2021-04-03-zhangzhuang-cuowu": sitekit.story_text(
            "写错活动的稿件", activity=f"{MARK}activity", date="2021-04-03"
        ),
        # Taken down: its notice page, and its reason on the /changes/ record.
        "2021-04-04-chehui": TAINTED_WITHDRAWAL,
        # Two stories a page: 张庄村's older stories go on its second page.
        **{
            f"2021-03-0{day}-zhangzhuang": sitekit.story_text("张庄的早春", date=f"2021-03-0{day}")
            for day in (1, 2)
        },
    }
    project = sitekit.make_project(
        root / "project", stories, files=files, campaign={"stories_per_page": 2}
    )
    write_village_profile(project, "kaifeng/lankao/zhangzhuang.md", TAINTED_PROFILE)
    troupe = project / "docs" / "troupe"
    (troupe / "schedule").mkdir(parents=True)
    (troupe / "members.yml").write_text(TAINTED_MEMBERS, encoding="utf-8")
    (troupe / "schedule" / "kaifeng.yml").write_text(TAINTED_TALKS, encoding="utf-8")
    # The tainted story's old address: the redirect page shows its title.
    (project / "redirects.yml").write_text(
        f"redirect_maps:\n  2021-03-11-zhangzhuang-jiu: {STORY}\n", encoding="utf-8"
    )
    add_hostile_hook(project, taint=(MARK, TAINT), serving=True, templates="templates.json")
    result = sitekit.build(project, strict=False)
    assert result.returncode == 0, result.output
    return result


def test_every_template_of_ours_was_rendered(tainted_build: sitekit.BuildResult) -> None:
    project = tainted_build.site_dir.parent
    loaded = set(json.loads((project / "templates.json").read_text(encoding="utf-8")))
    ours = {
        path.relative_to(project / "overrides").as_posix()
        for path in (project / "overrides").rglob("*.html")
    }
    assert ours - loaded == set()


def test_markup_in_contributor_text_is_never_published_raw(
    tainted_build: sitekit.BuildResult,
) -> None:
    pages = built_pages(tainted_build.site_dir)
    assert "problems/index.html" in pages

    assert [page for page, html in pages.items() if TAINT in html] == []
    assert [page for page, html in pages.items() if MARK in html] == []  # every text tainted


def test_each_text_is_shown_escaped_once_where_it_belongs(
    tainted_build: sitekit.BuildResult,
) -> None:
    pages = built_pages(tainted_build.site_dir)

    missing = [
        (field, page)
        for field, expected in TAINTED_FIELDS.items()
        for page in expected
        if f"{ESCAPED}{field}" not in pages[page]
    ]
    assert missing == []
    double = [
        page
        for page, html in pages.items()
        if "&amp;lt;" in html or "&amp;#34;" in html or "&amp;amp;" in html
    ]
    assert double == []


def test_page_title_is_plain_text_in_title_header_and_search(
    tainted_build: sitekit.BuildResult,
) -> None:
    page = (tainted_build.site_dir / STORY_PAGE).read_text(encoding="utf-8")
    title = f"{ESCAPED}title 光伏板上的新日子"

    assert f"<title>{title} - " in page
    assert re.search(rf'<span class="md-ellipsis">\s*{re.escape(title)}\s*</span>', page)

    # The index holds text, not HTML: the title as the contributor wrote it, unescaped once
    # (docs/assets/search.js shows it as a text node), and never escaped twice.
    entry = searchkit.indexed_pages(tainted_build.site_dir)[f"/stories/{STORY}/"]
    assert entry.title == f"{TAINT}title 光伏板上的新日子"
    assert f"{TAINT}tag 光伏" in entry.text
    assert "&lt;" not in entry.text + entry.title
