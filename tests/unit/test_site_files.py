"""docs/ outside stories/, villages/ and troupe/: MkDocs publishes these files as they are, so
every Markdown page is scanned like a story body and other files are published only from
docs/assets/, and only of the types the site's pages load."""

from __future__ import annotations

from pathlib import Path

import pytest
from huatuopin.sitefiles import check_site_files
from storykit import catalog, problems_text, write_story

REPO_ROOT = Path(__file__).resolve().parents[2]


def write(root: Path, relative: str, content: str | bytes) -> Path:
    path = root / "docs" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, "utf-8")
    else:
        path.write_bytes(content)
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text("utf-8").split("\n")
    return next(number for number, text in enumerate(lines, start=1) if needle in text)


def test_the_repositorys_own_pages_and_assets_are_published(tmp_path: Path) -> None:
    result = check_site_files(REPO_ROOT, REPO_ROOT / "docs")

    assert result.problems == [], problems_text(result.problems)
    assert "index.md" in result.published
    assert {"assets/site.css", "assets/pairs.js"} <= result.published
    assert not any(uri.startswith(("stories/", "villages/", "troupe/")) for uri in result.published)


# -- Markdown pages -----------------------------------------------------------------------------


def test_script_in_the_home_page_is_a_problem_at_its_line(tmp_path: Path) -> None:
    page = write(
        tmp_path, "index.md", "---\ntitle: 首页\n---\n\n# 首页\n\n<script>alert(1)</script>\n"
    )

    result = check_site_files(tmp_path, tmp_path / "docs")

    assert [(p.path, p.line, p.field) for p in result.problems] == [
        ("docs/index.md", line_of(page, "<script>"), "正文")
    ]
    assert "<script>" in result.problems[0].message
    assert "index.md" not in result.published
    assert result.rejected == ["docs/index.md"]


def test_added_page_is_scanned_front_matter_and_body(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "about.md",
        "---\ntitle: 关于 13812345678\n---\n\n联系人电话 13912345678\n\n"
        '<a href="javascript:alert(1)">点这里</a>\n',
    )

    result = check_site_files(tmp_path, tmp_path / "docs")

    placed = sorted((p.line, p.field) for p in result.problems)
    assert placed == [
        (line_of(page, "title:"), "title"),
        (line_of(page, "联系人电话"), "正文"),
        (line_of(page, "javascript:"), "正文"),
    ], problems_text(result.problems)
    assert all(p.path == "docs/about.md" for p in result.problems)
    assert "about.md" not in result.published


def test_image_from_another_site_is_a_problem_at_its_line(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "about.md",
        "# 关于\n\n![活动海报](assets/poster.png)\n\n![远方](https://example.org/track.png)\n",
    )

    result = check_site_files(tmp_path, tmp_path / "docs")

    assert [(p.line, p.field) for p in result.problems] == [(line_of(page, "![远方]"), "正文")], (
        problems_text(result.problems)
    )
    assert "网络地址" in result.problems[0].message


def test_page_without_front_matter_is_scanned_from_line_one(tmp_path: Path) -> None:
    page = write(
        tmp_path, "help/faq.md", "# 常见问题\n\n<iframe src=https://example.com></iframe>\n"
    )

    result = check_site_files(tmp_path, tmp_path / "docs")

    assert [(p.path, p.line) for p in result.problems] == [
        ("docs/help/faq.md", line_of(page, "<iframe"))
    ]


def test_clean_page_is_published(tmp_path: Path) -> None:
    write(
        tmp_path,
        "about.md",
        "---\ntitle: 关于\n---\n\n河南省“话脱贫、感党恩、奋进新时代”主题活动。\n",
    )

    result = check_site_files(tmp_path, tmp_path / "docs")

    assert result.problems == []
    assert result.published == {"about.md"}


@pytest.mark.parametrize(
    ("relative", "url"),
    [
        ("gallery/index.md", "gallery/"),
        ("gallery.md", "gallery/"),
        ("stories.md", "stories/"),
        ("media/about.md", "media/about/"),
        ("problems/README.md", "problems/"),
        ("progress/kaifeng.md", "progress/kaifeng/"),
    ],
)
def test_page_where_the_site_generates_pages_is_refused(
    tmp_path: Path, relative: str, url: str
) -> None:
    write(tmp_path, relative, "# 我们的页面\n")

    result = check_site_files(tmp_path, tmp_path / "docs")

    assert [(p.path, p.line, p.field) for p in result.problems] == [(f"docs/{relative}", 1, "文件")]
    assert (
        f"网址是 /{url}，在网站自动生成的 /{url.split('/')[0]}/ 之下" in result.problems[0].message
    )
    assert result.published == set()
    assert result.rejected == [f"docs/{relative}"]


@pytest.mark.parametrize("relative", ["about.md", "help/gallery.md", "storiesabout.md"])
def test_page_beside_the_generated_ones_is_published(tmp_path: Path, relative: str) -> None:
    write(tmp_path, relative, "# 关于\n")

    result = check_site_files(tmp_path, tmp_path / "docs")

    assert (result.problems, result.published) == ([], {relative})


@pytest.mark.parametrize(
    ("content", "field"),
    [
        pytest.param("# 关于\n".encode("gbk"), "编码", id="not-utf-8"),
        pytest.param("---\ntitle: [关于\n---\n\n正文\n", "YAML", id="bad-front-matter"),
    ],
)
def test_unreadable_page_is_a_problem_not_a_crash(
    tmp_path: Path, content: str | bytes, field: str
) -> None:
    write(tmp_path, "about.md", content)

    result = check_site_files(tmp_path, tmp_path / "docs")

    assert [(p.path, p.field) for p in result.problems] == [("docs/about.md", field)], (
        problems_text(result.problems)
    )
    assert "about.md" not in result.published


# -- other files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "relative",
    [
        "evil.html",
        "x.svg",
        "assets/page.html",
        "assets/evil.svg",
        "assets/feed.xml",
        "photo.jpg",
        "assets/notes.txt",
        "robots.txt",
        "stories",  # a file, not the stories folder
    ],
)
def test_file_not_an_asset_is_refused(tmp_path: Path, relative: str) -> None:
    write(tmp_path, relative, "<script>alert(1)</script>")

    result = check_site_files(tmp_path, tmp_path / "docs")

    assert [(p.path, p.line, p.field) for p in result.problems] == [(f"docs/{relative}", 1, "文件")]
    assert "不会发布" in result.problems[0].message
    assert result.published == set()


@pytest.mark.parametrize(
    "relative",
    ["assets/site.css", "assets/app.js", "assets/logo.png", "assets/fonts/a.woff2", "assets/x.JPG"],
)
def test_site_assets_are_published(tmp_path: Path, relative: str) -> None:
    write(tmp_path, relative, b"asset")

    result = check_site_files(tmp_path, tmp_path / "docs")

    assert result.problems == []
    assert result.published == {relative}


def test_phone_number_in_a_file_name_is_a_problem(tmp_path: Path) -> None:
    write(tmp_path, "assets/13812345678.png", b"png")

    result = check_site_files(tmp_path, tmp_path / "docs")

    assert [(p.path, p.field) for p in result.problems] == [
        ("docs/assets/13812345678.png", "文件名")
    ]
    assert "手机号码" in result.problems[0].message


def test_asset_linked_outside_docs_is_refused(tmp_path: Path) -> None:
    (tmp_path / "passwd").write_text("root:x:0:0\n", "utf-8")
    write(tmp_path, "assets/site.css", "body{}")
    (tmp_path / "docs" / "assets" / "x.css").symlink_to(tmp_path / "passwd")

    result = check_site_files(tmp_path, tmp_path / "docs")

    assert [(p.path, p.line, p.field) for p in result.problems] == [
        ("docs/assets/x.css", 1, "文件")
    ]
    assert "指向 docs/ 以外的地方" in result.problems[0].message
    assert result.published == {"assets/site.css"}


def test_content_folders_are_left_to_their_own_loaders(tmp_path: Path) -> None:
    write_story(tmp_path)
    write(tmp_path, "stories/stray.html", "<script></script>")
    write(tmp_path, "troupe/notes.html", "<script></script>")

    result = check_site_files(tmp_path, tmp_path / "docs")

    assert result.problems == []
    assert result.published == set()


# -- through the Catalog, as check and build see it ---------------------------------------------


def test_catalog_reports_site_files_and_keeps_what_may_be_published(tmp_path: Path) -> None:
    write_story(tmp_path)
    write(tmp_path, "index.md", "# 首页\n")
    write(tmp_path, "evil.html", "<script></script>")

    result = catalog(tmp_path)

    assert [p.path for p in result.problems] == ["docs/evil.html"]
    assert result.site_pages == {"index.md"}
    assert len(result.stories) == 1


def test_checking_one_story_leaves_the_rest_of_docs_alone(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    write(tmp_path, "evil.html", "<script></script>")

    result = catalog(tmp_path)

    assert result.problems_involving(story.folder_rel) == ()
    assert [p.path for p in result.problems] == ["docs/evil.html"]


def test_link_loop_in_a_hidden_folder_is_refused_as_mkdocs_walks_it(tmp_path: Path) -> None:
    hidden = tmp_path / "docs" / ".cache"
    hidden.mkdir(parents=True)
    (hidden / "loop").symlink_to("..")

    result = check_site_files(tmp_path, tmp_path / "docs")

    assert [(p.path, p.field) for p in result.problems] == [("docs/.cache/loop", "文件")]
    assert "一层套一层" in result.problems[0].message
