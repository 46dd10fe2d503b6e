"""A renamed story keeps its links: the build writes a static page at each old address and
nginx's map of them (redirects.yml); a redirect that leads nowhere stops a strict build and
`make check` alike, at its line."""

from __future__ import annotations

from pathlib import Path

import pytest
import sitekit
from sitekit import line_of, story_text

NEW = "2021-03-12-zhangzhuang-guangfu"
OLD = "2021-03-12-zhangzhuang"
OLDER = "2021-03-01-guangfu"
REDIRECTS = f"""# 稿件文件夹改名以后，在这里写“旧地址: 新地址”。
redirect_maps:
  stories/{OLD}/index.md: stories/{NEW}/index.md
  /stories/{OLDER}/: {OLD}
"""


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory) -> sitekit.BuildResult:
    project = sitekit.make_project(
        tmp_path_factory.mktemp("moved") / "project", {NEW: story_text("张庄的光伏板")}
    )
    (project / "redirects.yml").write_text(REDIRECTS, "utf-8")
    result = sitekit.build(project, strict=True)
    assert result.returncode == 0, result.output
    return result


@pytest.mark.parametrize("old", [OLD, OLDER])
def test_each_old_address_holds_a_page_that_refreshes_to_the_new_one(
    moved: sitekit.BuildResult, old: str
) -> None:
    html = (moved.site_dir / "stories" / old / "index.html").read_text("utf-8")
    assert f'<meta http-equiv="refresh" content="0; url=../{NEW}/">' in html
    assert f'href="https://huatuopin.example.org/stories/{NEW}/"' in html  # canonical
    assert '<meta name="robots" content="noindex">' in html
    assert "本文已移至新地址" in html
    assert "张庄的光伏板" in html


def test_the_old_addresses_are_in_no_sitemap_and_no_search_index(
    moved: sitekit.BuildResult,
) -> None:
    sitemap = (moved.site_dir / "sitemap.xml").read_text("utf-8")
    assert f"/stories/{NEW}/" in sitemap
    assert OLD + "/" not in sitemap and OLDER not in sitemap
    index_files = (moved.site_dir / "search-index").rglob("*")
    index = b"".join(path.read_bytes() for path in index_files if path.is_file())
    assert f"{NEW}/".encode() in index
    assert OLDER.encode() not in index and f"{OLD}/".encode() not in index


def test_the_nginx_map_sends_each_old_address_to_the_new_one(
    moved: sitekit.BuildResult,
) -> None:
    """One line per old address: nginx looks up every form of it by its folder
    (tests/build/test_redirect_deploy.py follows all three through the real nginx)."""
    lines = (moved.site_dir / ".huatuopin" / "redirects.map").read_text("utf-8").splitlines()
    assert lines[1:] == [f'"/stories/{old}/" "/stories/{NEW}/";' for old in (OLD, OLDER)]


def test_a_build_without_redirects_writes_a_map_nginx_can_include(tmp_path: Path) -> None:
    project = sitekit.make_project(tmp_path / "project", {NEW: story_text("张庄的光伏板")})
    result = sitekit.build(project, strict=True)
    assert result.returncode == 0, result.output
    text = (result.site_dir / ".huatuopin" / "redirects.map").read_text("utf-8")
    assert [line[0] for line in text.splitlines()] == ["#"]


@pytest.fixture
def nowhere(tmp_path: Path) -> tuple[Path, int]:
    """A project whose redirects.yml leads one old address to a folder that is not there."""
    project = sitekit.make_project(tmp_path / "project", {NEW: story_text("张庄的光伏板")})
    text = f"redirect_maps:\n  {OLDER}: {NEW}\n  {OLD}: {NEW}-x\n"
    (project / "redirects.yml").write_text(text, "utf-8")
    return project, line_of(text, f"{OLD}:")


def test_a_redirect_to_no_published_story_stops_a_strict_build_at_its_line(
    nowhere: tuple[Path, int],
) -> None:
    project, line = nowhere
    result = sitekit.build(project, strict=True)
    assert result.returncode == 1
    assert f"redirects.yml:{line}: redirect_maps: 新地址 stories/{NEW}-x/ 不是已发布的稿件" in (
        result.output
    )
    assert "构建中止" in result.output
    # A lenient build (`make serve`) keeps the others, and publishes nothing at the broken one.
    lenient = sitekit.build(project, strict=False)
    assert lenient.returncode == 0, lenient.output
    assert (lenient.site_dir / "stories" / OLDER / "index.html").is_file()
    assert not (lenient.site_dir / "stories" / OLD).exists()


def test_make_check_reports_the_redirect_that_leads_nowhere(nowhere: tuple[Path, int]) -> None:
    project, line = nowhere
    checked = sitekit.check(project)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert f"redirects.yml:{line}: redirect_maps: 新地址 stories/{NEW}-x/" in checked.stdout
    assert "共 1 个问题" in checked.stdout
