"""Whole builds with village profiles: the pages, their links, the chart, stable URLs, and the
problems a strict build stops on."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import searchkit
import sitekit
from sitekit import story_text

# -- fixture content -------------------------------------------------------------------------


ZHANGZHUANG = """---
name: 张庄村
township: 东坝头镇
county: 兰考县
city: 开封市
exit_year: 2017
households: 766
population: 3012
industries:
  - 光伏发电
support_units:
  - 兰考县农业农村局
first_secretaries:
  - name: 赵明远
    unit: 开封市农业农村局
    from: 2014-03
    to: 2017-08
  - name: 郭文静
    unit: 兰考县供电公司
    from: 2017-09
income:
  2016: 0.5
  2018: 17.6
  2020: 43.6
sample: true
---

## 村情

黄河故道最后一道弯上的村子。

## 话未来

再改造二十个闲置院落。
"""
QIXIAN_ZHANGZHUANG = """---
name: 张庄村
township: 城关镇
county: 杞县
city: 开封市
---

杞县的张庄村，和兰考县的张庄村同名。
"""
PROFILES = {
    "kaifeng/lankao/zhangzhuang.md": ZHANGZHUANG,
    "kaifeng/qixian/zhangzhuang.md": QIXIAN_ZHANGZHUANG,
}
STORIES = {
    "2021-03-12-zhangzhuang-a": story_text("张庄的光伏板", date="2021-03-12"),
    "2021-05-20-zhangzhuang-b": story_text("夸夸咱的新张庄", date="2021-05-18", activity="亮成果"),
    "2021-04-01-zhangzhuang-c": story_text("张庄的合作社", date="2021-04-01"),
    "2021-03-20-qixian": story_text("杞县张庄的春天", date="2021-03-20", county="杞县"),
    "2021-04-24-zhaizi": story_text(
        "山还是那座山", date="2021-04-24", city="三门峡市", county="卢氏县", village="寨子村"
    ),
}
# Which stories each village page must list, and nothing else.
EXPECTED = {
    "villages/kaifeng/lankao/zhangzhuang/": {
        "2021-03-12-zhangzhuang-a",
        "2021-05-20-zhangzhuang-b",
        "2021-04-01-zhangzhuang-c",
    },
    "villages/kaifeng/qixian/zhangzhuang/": {"2021-03-20-qixian"},
    "villages/sanmenxia/lushi/zhaizi/": {"2021-04-24-zhaizi"},
}
STORY_URL = re.compile(r"^/stories/(\d{4}-\d{2}-\d{2}-[a-z0-9-]+)/$")
VILLAGE_URL = re.compile(r"^/villages/[a-z0-9-]+/[a-z0-9-]+/[a-z0-9-]+/$")
COUNTY_URL = re.compile(r"^/villages/[a-z0-9-]+/[a-z0-9-]+/$")


def write_profiles(project: Path, profiles: dict[str, str]) -> None:
    for relative, text in profiles.items():
        path = project / "docs" / "villages" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def make_village_project(root: Path, stories: dict[str, str], profiles: dict[str, str]) -> Path:
    project = sitekit.make_project(root, stories)
    write_profiles(project, profiles)
    return project


def page_html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def content_of(html: str) -> str:
    """The page's own content: Material's header, nav and footer left out."""
    start = html.index('class="md-content"')
    end = html.index('<footer class="md-footer"', start)
    return html[start:end]


def links(html: str, page_url: str) -> list[str]:
    """Site paths the page's content links to, resolved against the page's URL."""
    found = []
    for href in re.findall(r'href="([^"]*)"', content_of(html)):
        path = urlsplit(urljoin(f"http://site/{page_url}", href)).path
        found.append(unquote(path))
    return found


def story_links(html: str, page_url: str) -> set[str]:
    return {m.group(1) for path in links(html, page_url) if (m := STORY_URL.match(path))}


def village_links(html: str, page_url: str) -> set[str]:
    return {path for path in links(html, page_url) if VILLAGE_URL.match(path)}


def village_paths(site: Path) -> set[str]:
    """Every village page reached from /villages/ through a city's page and a county's."""
    index = page_html(site, "villages/")
    found: set[str] = set()
    for city_path in {p for p in links(index, "villages/") if re.match(r"^/villages/[a-z]+/$", p)}:
        city_url = city_path.lstrip("/")
        for county_path in links(page_html(site, city_url), city_url):
            if COUNTY_URL.match(county_path):
                county_url = county_path.lstrip("/")
                found |= village_links(page_html(site, county_url), county_url)
    return found


@pytest.fixture(scope="module")
def village_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_village_project(tmp_path_factory.mktemp("villages") / "project", STORIES, PROFILES)


@pytest.fixture(scope="module")
def village_build(village_project: Path) -> sitekit.BuildResult:
    result = sitekit.build(village_project, strict=True)
    assert result.returncode == 0, result.output
    return result


# -- pages and links -------------------------------------------------------------------------


def test_every_village_has_its_page(village_build: sitekit.BuildResult) -> None:
    site = village_build.site_dir
    built = {
        path.parent.relative_to(site).as_posix() + "/"
        for path in (site / "villages").glob("*/*/*/index.html")
    }
    assert built == set(EXPECTED)


def test_village_page_lists_exactly_the_stories_that_name_it(
    village_build: sitekit.BuildResult,
) -> None:
    for url, folders in EXPECTED.items():
        html = page_html(village_build.site_dir, url)
        assert story_links(html, url) == folders, url


def test_stories_are_grouped_by_activity_newest_first(village_build: sitekit.BuildResult) -> None:
    url = "villages/kaifeng/lankao/zhangzhuang/"
    html = content_of(page_html(village_build.site_dir, url))
    order = [m for m in re.findall(r"stories/(2021-[a-z0-9-]+)/", html) if "zhangzhuang" in m]
    order = list(dict.fromkeys(order))
    # 入户访 first (newest first within it), then 亮成果.
    assert order == [
        "2021-04-01-zhangzhuang-c",
        "2021-03-12-zhangzhuang-a",
        "2021-05-20-zhangzhuang-b",
    ]


def test_index_city_and_county_pages_reach_every_village(
    village_build: sitekit.BuildResult,
) -> None:
    """/villages/ → city → county → village: the index and a city page show counties with
    their counts, not villages, so neither grows with the province."""
    site = village_build.site_dir
    index = page_html(site, "villages/")
    assert {"/villages/kaifeng/", "/villages/sanmenxia/"} <= set(links(index, "villages/"))
    assert "兰考县 <small>1 个村</small>" in index  # each county with its village count
    assert village_links(index, "villages/") == set()
    reached: set[str] = set()
    for city in ("kaifeng", "sanmenxia"):
        url = f"villages/{city}/"
        assert f"/{url}" in links(index, "villages/")
        city_page = page_html(site, url)
        assert village_links(city_page, url) == set()
        counties = [p for p in links(city_page, url) if COUNTY_URL.match(p)]
        assert counties, url
        for county in counties:
            reached |= village_links(page_html(site, county.lstrip("/")), county.lstrip("/"))
    assert reached == {f"/{url}" for url in EXPECTED}
    city_page = content_of(page_html(site, "villages/kaifeng/"))
    assert "兰考县" in city_page and "杞县" in city_page
    assert "1 个村庄 · 3 篇采风作品" in city_page  # 兰考县: 张庄村's three stories
    # Under the counties, the city's newest stories (杞县's is the fourth newest of four).
    assert story_links(page_html(site, "villages/kaifeng/"), "villages/kaifeng/") == {
        "2021-05-20-zhangzhuang-b",
        "2021-04-01-zhangzhuang-c",
        "2021-03-20-qixian",
    }
    # Every city has its page, with or without villages.
    assert (site / "villages" / "zhengzhou" / "index.html").is_file()


def test_story_pages_link_to_their_village(village_build: sitekit.BuildResult) -> None:
    for url, folders in EXPECTED.items():
        for folder in folders:
            story_url = f"stories/{folder}/"
            html = page_html(village_build.site_dir, story_url)
            assert f"/{url}" in village_links(html, story_url), story_url


def test_nav_has_the_villages_section(village_build: sitekit.BuildResult) -> None:
    home = (village_build.site_dir / "index.html").read_text("utf-8")
    assert re.search(r'href="villages/"[^>]*>\s*村庄', home), "no 村庄 link in the nav"


def test_profile_page_has_card_timeline_body_and_plans(village_build: sitekit.BuildResult) -> None:
    html = content_of(page_html(village_build.site_dir, "villages/kaifeng/lankao/zhangzhuang/"))
    for text in ("766 户", "3012 人", "2017 年", "光伏发电", "兰考县农业农村局", "示例内容"):
        assert text in html, text
    assert "黄河故道最后一道弯上的村子" in html
    assert "2014年3月" in html and "2017年8月" in html and "郭文静" in html and "在任" in html
    # 话未来 comes after the stories.
    assert html.index("再改造二十个闲置院落") > html.index("采风作品")
    assert html.count("再改造二十个闲置院落") == 1


def test_village_without_profile_says_it_is_to_come(village_build: sitekit.BuildResult) -> None:
    html = content_of(page_html(village_build.site_dir, "villages/sanmenxia/lushi/zhaizi/"))
    assert "<h1>寨子村</h1>" in html
    assert "资料待补充" in html and "还在整理中" in html
    assert "hp-chart" not in html


def test_income_chart_is_present_with_its_numbers_in_text(
    village_build: sitekit.BuildResult,
) -> None:
    html = content_of(page_html(village_build.site_dir, "villages/kaifeng/lankao/zhangzhuang/"))
    svg = re.search(r"<svg\b.*?</svg>", html, re.DOTALL)
    assert svg, "no SVG chart"
    assert len(re.findall(r"<rect\b", svg.group(0))) == 3
    assert re.search(r'viewBox="0 0 \d+ \d+"', svg.group(0))
    outside = html.replace(svg.group(0), "")
    for year, amount in (("2016", "0.5"), ("2018", "17.6"), ("2020", "43.6")):
        assert f">{amount}</text>" in svg.group(0) and f">{year}</text>" in svg.group(0)
        # The numbers as text outside the picture too: a table row per year.
        assert re.search(rf"<th[^>]*>{year}</th><td>{re.escape(amount)}</td>", outside), year
    assert "从 2016 年的 0.5 万元增加到 2020 年的 43.6 万元" in outside


def test_village_urls_are_ascii(village_build: sitekit.BuildResult) -> None:
    site = village_build.site_dir
    for path in (site / "villages").rglob("*"):
        assert path.relative_to(site).as_posix().isascii(), path
    for html_file in site.rglob("*.html"):
        for href in re.findall(r'href="([^"]*villages/[^"]*)"', html_file.read_text("utf-8")):
            assert href.isascii(), f"{html_file.relative_to(site)} links to {href}"


def test_profiles_are_not_copied_to_the_site(
    village_project: Path, village_build: sitekit.BuildResult
) -> None:
    site = village_build.site_dir
    assert not list(site.rglob("*.md"))
    sources = list((village_project / "docs" / "villages").rglob("*.md"))
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in sources}
    for published in site.rglob("*"):
        if published.is_file():
            assert hashlib.sha256(published.read_bytes()).hexdigest() not in digests


def test_village_pages_are_searchable_by_name_not_by_body(
    village_build: sitekit.BuildResult,
) -> None:
    indexed = searchkit.indexed_pages(village_build.site_dir)
    for url in ("/villages/kaifeng/lankao/zhangzhuang/", "/villages/sanmenxia/lushi/zhaizi/"):
        assert url in indexed and indexed[url].label == "村庄"
    assert not [
        page.url for page in indexed.values() if page.found_by("黄河故道最后一道弯上的村子")
    ]


def test_a_village_url_trimmed_to_its_county_lists_that_county(
    village_build: sitekit.BuildResult,
) -> None:
    for url in EXPECTED:
        county_url = url.rstrip("/").rsplit("/", 1)[0] + "/"
        county_page = content_of(page_html(village_build.site_dir, county_url))
        assert f'href="../../../{url}"' in county_page, f"{county_url} does not link {url}"
    # 杞县 and 兰考县 both have a 张庄村: each county page lists only its own.
    qixian = content_of(page_html(village_build.site_dir, "villages/kaifeng/qixian/"))
    assert "villages/kaifeng/qixian/zhangzhuang/" in qixian
    assert "villages/kaifeng/lankao/zhangzhuang/" not in qixian


# -- stable URLs -----------------------------------------------------------------------------


def test_adding_stories_changes_no_village_url(
    village_project: Path, village_build: sitekit.BuildResult, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(village_project, project, ignore=shutil.ignore_patterns("site"))
    more = {
        # Earlier than every story, for an existing village without a profile.
        "2021-01-05-zhaizi-early": story_text(
            "寨子村的冬天", date="2021-01-05", city="三门峡市", county="卢氏县", village="寨子村"
        ),
        # A namesake of an existing village in another county, and a new village.
        "2021-06-01-xiuwu": story_text(
            "另一个张庄村", date="2021-06-01", city="焦作市", county="修武县"
        ),
        "2021-06-02-anshang": story_text(
            "岸上村", date="2021-06-02", city="焦作市", county="修武县", village="岸上村"
        ),
    }
    for folder, text in more.items():
        (project / "docs" / "stories" / folder).mkdir(parents=True)
        (project / "docs" / "stories" / folder / "index.md").write_text(text, "utf-8")
    again = sitekit.build(project, strict=True, site_dir=tmp_path / "site")
    assert again.returncode == 0, again.output
    for url in EXPECTED:
        before = page_html(village_build.site_dir, url)
        after = page_html(again.site_dir, url)
        name = re.search(r"<h1>(.*?)</h1>", before)
        assert name and f"<h1>{name.group(1)}</h1>" in after, url
    assert "2021-01-05-zhaizi-early" in story_links(
        page_html(again.site_dir, "villages/sanmenxia/lushi/zhaizi/"),
        "villages/sanmenxia/lushi/zhaizi/",
    )
    assert (again.site_dir / "villages/jiaozuo/xiuwu/zhangzhuang/index.html").is_file()
    assert (again.site_dir / "villages/jiaozuo/xiuwu/anshang/index.html").is_file()


# -- problems stop the build -----------------------------------------------------------------

BAD_PROFILE = """---
name: 岸上村
township: 云台山镇
county: 修武县
city: 焦作市
first_secretaries:
  - name: 林海涛
    unit: 焦作市文化广电和旅游局
    from: 2018-07
    to: 2015-08
income:
  2020年: 106.8
---
"""
WRONG_FOLDER = """---
name: 裴寨村
township: 张村乡
county: 辉县市
city: 新乡市
---
"""
BAD_STORIES = {
    "2021-03-12-zhangzhuang-ok": story_text("写对了的稿件"),
    "2021-03-13-zhangzhuang-typo": story_text("村名少了一个字", village="张庄"),
}
BAD_PROFILES = {
    "kaifeng/lankao/zhangzhuang.md": ZHANGZHUANG,
    "jiaozuo/xiuwu/anshang.md": BAD_PROFILE,
    "xinxiang/weihui/peizhai.md": WRONG_FOLDER,
}
PROBLEM = re.compile(r"(docs/[^\s:]+:\d+: [^:\s]+): ")


def line_of(text: str, prefix: str) -> int:
    return sitekit.line_of(text, prefix, starts=True)


EXPECTED_PROBLEMS = {
    f"docs/villages/jiaozuo/xiuwu/anshang.md:{line_of(BAD_PROFILE, '    to:')}: "
    "first_secretaries[0].to",
    f"docs/villages/jiaozuo/xiuwu/anshang.md:{line_of(BAD_PROFILE, '  2020年')}: income.2020年",
    f"docs/villages/xinxiang/weihui/peizhai.md:{line_of(WRONG_FOLDER, 'county:')}: county",
    "docs/stories/2021-03-13-zhangzhuang-typo/index.md:"
    f"{line_of(BAD_STORIES['2021-03-13-zhangzhuang-typo'], 'village:')}: village",
}


@pytest.fixture(scope="module")
def bad_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_village_project(
        tmp_path_factory.mktemp("bad-villages") / "project", BAD_STORIES, BAD_PROFILES
    )


def test_strict_build_reports_every_village_problem_with_its_place(bad_project: Path) -> None:
    result = sitekit.build(bad_project, strict=True)
    assert result.returncode != 0, result.output
    assert set(PROBLEM.findall(result.output)) == EXPECTED_PROBLEMS, result.output
    assert "是不是想写“张庄村”" in result.output


def test_lenient_build_leaves_out_what_has_problems(bad_project: Path, tmp_path: Path) -> None:
    result = sitekit.build(bad_project, strict=False, site_dir=tmp_path / "site")
    assert result.returncode == 0, result.output
    site = result.site_dir
    assert (site / "villages/kaifeng/lankao/zhangzhuang/index.html").is_file()
    assert not (site / "villages/jiaozuo/xiuwu/anshang").exists()
    assert not (site / "villages/xinxiang/weihui").exists()
    assert not (site / "stories/2021-03-13-zhangzhuang-typo").exists()
    assert story_links(
        page_html(site, "villages/kaifeng/lankao/zhangzhuang/"),
        "villages/kaifeng/lankao/zhangzhuang/",
    ) == {"2021-03-12-zhangzhuang-ok"}


# -- the repository's own sample content -----------------------------------------------------


def test_every_sample_village_is_three_links_from_the_index_and_linked_by_its_stories(
    sample_site: sitekit.StaticSite,
) -> None:
    site = sample_site.site_dir
    stories = sitekit.repo_stories()
    named = {
        (data["city"], data["county"], data["village"])
        for data in stories.values()
        if not data.get("draft")
    }
    reached: dict[str, str] = {}  # village URL → its page's h1
    for village_path in village_paths(site):
        html = page_html(site, village_path.lstrip("/"))
        name = re.search(r"<h1>(.*?)</h1>", content_of(html))
        assert name, village_path
        reached[village_path] = name.group(1)
    assert {name for _, _, name in named} <= set(reached.values())
    for folder, data in stories.items():
        if data.get("draft"):
            continue
        story_url = f"stories/{folder}/"
        targets = village_links(page_html(site, story_url), story_url)
        assert len(targets) == 1, f"{story_url} links to {targets}"
        assert reached[targets.pop()] == data["village"], story_url
    profiles = list((sitekit.REPO_ROOT / "docs" / "villages").rglob("*.md"))
    assert len(profiles) >= 6
    for profile in profiles:
        assert sitekit.front_matter(profile).get("sample") is True, profile


def test_same_sources_build_identical_village_pages(
    village_project: Path, village_build: sitekit.BuildResult, tmp_path: Path
) -> None:
    again = sitekit.build(village_project, strict=True, site_dir=tmp_path / "again")
    assert again.returncode == 0, again.output
    first = sorted(
        p.relative_to(village_build.site_dir)
        for p in (village_build.site_dir / "villages").rglob("*.html")
    )
    second = sorted(
        p.relative_to(again.site_dir) for p in (again.site_dir / "villages").rglob("*.html")
    )
    assert first == second
    for relative in first:
        assert (village_build.site_dir / relative).read_bytes() == (
            again.site_dir / relative
        ).read_bytes(), relative


def test_serve_lists_profile_problems_and_keeps_serving(
    bad_project: Path, serve_project: sitekit.ServeProjectFactory
) -> None:
    served = serve_project(bad_project)
    status, problems = sitekit.fetch(served.url("/problems/"))
    assert status == 200, served.output()
    assert "docs/villages/jiaozuo/xiuwu/anshang.md" in problems
    assert "first_secretaries[0].to" in problems
    status, village = sitekit.fetch(served.url("/villages/kaifeng/lankao/zhangzhuang/"))
    assert status == 200 and "<h1>张庄村</h1>" in village


def test_sample_village_pages_show_their_stories_pairs(sample_site: sitekit.StaticSite) -> None:
    site = sample_site.site_dir
    pairs: dict[tuple[str, str, str], int] = {}
    for data in sitekit.repo_stories().values():
        if not data.get("draft"):
            key = (data["city"], data["county"], data["village"])
            pairs[key] = pairs.get(key, 0) + len(data.get("pairs") or [])
    assert any(pairs.values()), "the sample stories have no pairs: nothing to check"
    shown: dict[str, int] = {}
    for village_path in village_paths(site):
        html = content_of(page_html(site, village_path.lstrip("/")))
        name = re.search(r"<h1>(.*?)</h1>", html)
        assert name
        shown[name.group(1)] = html.count("data-hp-pair ")
    for (_, _, village), count in pairs.items():
        assert shown[village] == count, village


# -- bounded pages ---------------------------------------------------------------------------


def test_sample_pages_are_within_the_page_budget_and_the_theme_within_its_share(
    sample_site: sitekit.StaticSite,
) -> None:
    """tests/unit/test_bounded_pages.py renders province-size pages' content only: the theme's
    page around it must stay within `CHROME_BUDGET` for those pages to stay under
    `PAGE_BUDGET`."""
    over: dict[str, int] = {}
    chrome: dict[str, int] = {}
    pages = sorted(sample_site.site_dir.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        html = path.read_text("utf-8")
        size = len(html.encode("utf-8"))
        if size > sitekit.PAGE_BUDGET:
            over[str(path)] = size
        if 'class="md-content"' in html:
            theme = size - len(content_of(html).encode("utf-8"))
            if theme > sitekit.CHROME_BUDGET:
                chrome[str(path)] = theme
    assert over == {}
    assert chrome == {}


@pytest.fixture(scope="module")
def paged_build(tmp_path_factory: pytest.TempPathFactory) -> sitekit.BuildResult:
    """The village build with two stories a page: 张庄村's three stories take two pages."""
    project = make_village_project(tmp_path_factory.mktemp("paged") / "project", STORIES, PROFILES)
    sitekit.override_config(project, {"extra": {"campaign": {"stories_per_page": 2}}})
    result = sitekit.build(project, strict=True)
    assert result.returncode == 0, result.output
    return result


def test_a_busy_village_shows_its_newest_stories_and_pages_the_older_ones(
    paged_build: sitekit.BuildResult,
) -> None:
    site = paged_build.site_dir
    url = "villages/kaifeng/lankao/zhangzhuang/"
    first = page_html(site, url)
    assert story_links(first, url) == {"2021-05-20-zhangzhuang-b", "2021-04-01-zhangzhuang-c"}
    assert "这里是最新的 2 篇" in first
    assert f"/{url}page/2/" in links(first, url)
    older = page_html(site, f"{url}page/2/")
    assert story_links(older, f"{url}page/2/") == {"2021-03-12-zhangzhuang-a"}
    assert "张庄村的采风作品（第 2 页）" in older
    # Back to the village's own page, from its trail and from the pager.
    back = links(older, f"{url}page/2/")
    assert back.count(f"/{url}") == 2
    assert "/villages/kaifeng/lankao/" in back
    # A village of one page has no pager and no second page.
    zhaizi = "villages/sanmenxia/lushi/zhaizi/"
    assert "hp-pager" not in content_of(page_html(site, zhaizi))
    assert not (site / zhaizi / "page").exists()
