"""deploy/oldpages.py on small release folders: which files of a kept release count as naming
a withdrawn story, and what becomes of them (the real builds and nginx: test_takedowns.py)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from deploy.linked import copy_missing_linked
from deploy.oldpages import PagesChanged, files_naming, replace_pages, story_titles
from deploy.precompress import gzip_bytes

GONE = "stories/2021-03-12-zhang/"
NEIGHBOUR = "stories/2021-03-12-zhangzhuang/"


def replace_pages_naming(new: Path, old: Path, story_urls: list[str]) -> PagesChanged:
    """As scrub.py calls it for one release."""
    titles = story_titles([old], story_urls)
    return replace_pages(new, old, files_naming(old, story_urls, list(titles.values())))


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        target.write_bytes(data)
    return root


def with_gzip(path: str, text: str) -> dict[str, str | bytes]:
    return {path: text, f"{path}.gz": gzip_bytes(text.encode())}


def test_a_page_naming_the_story_becomes_the_new_release_s_with_its_gzip_and_images(
    tmp_path: Path,
) -> None:
    new_listing = '<img src="../media/new-640.jpg"><link href="../assets/site.b2.css">'
    new = write(
        tmp_path / "new",
        {
            **with_gzip("stories/index.html", new_listing),
            "media/new-640.jpg": b"jpeg",
            **with_gzip("assets/site.b2.css", "body{}" * 50),
            "stories/feed.xml": "<feed/>",  # too small to gain from gzip: no .gz
        },
    )
    old = write(
        tmp_path / "old",
        {
            **with_gzip("stories/index.html", f'<a href="../{GONE}">屋顶</a>'),
            **with_gzip("stories/feed.xml", f"<feed><link href='https://x.org/{GONE}'/></feed>"),
        },
    )

    changed = replace_pages_naming(new, old, [GONE])

    assert (changed.replaced, changed.removed) == (["stories/feed.xml", "stories/index.html"], [])
    listing = old / "stories" / "index.html"
    assert listing.read_text() == new_listing
    assert gzip.decompress((old / "stories" / "index.html.gz").read_bytes()) == new_listing.encode()
    assert (old / "stories" / "feed.xml").read_text() == "<feed/>"
    assert not (old / "stories" / "feed.xml.gz").exists()
    assert (old / "media" / "new-640.jpg").read_bytes() == b"jpeg"
    assert (old / "assets" / "site.b2.css.gz").is_file()


def test_a_page_the_new_release_lacks_is_deleted_with_its_folder(tmp_path: Path) -> None:
    new = write(tmp_path / "new", {"villages/index.html": "村庄"})
    village = "villages/kaifeng/lankao/xiaocun/index.html"
    old = write(
        tmp_path / "old",
        {
            **with_gzip(village, f'<a href="../../../../{GONE}">屋顶</a>'),
            "villages/kaifeng/lankao/other/index.html": "别的村",
        },
    )

    changed = replace_pages_naming(new, old, [GONE])

    assert (changed.replaced, changed.removed) == ([], [village])
    assert not (old / "villages" / "kaifeng" / "lankao" / "xiaocun").exists()
    assert (old / "villages" / "kaifeng" / "lankao" / "other" / "index.html").is_file()


def test_only_the_story_s_own_address_and_title_count(tmp_path: Path) -> None:
    story_page = f'<meta property="og:title" content="屋顶 &amp; 光伏">{GONE}'
    untouched = {
        "stories/2021-03-12-zhang/index.html": story_page,  # its folder: scrub.py's part
        "search-index/abc/d3.json": f'{{"u":"{GONE}"}}',  # scrub.py deletes the record
        ".huatuopin/release.json": f'{{"stories":{{"{GONE}":{{}}}}}}',
        "stories/other/index.html": f'<a href="../../{NEIGHBOUR}">张庄</a>',  # a longer name
        "media/photo.jpg": GONE,  # not a text file
    }
    poster = "villages/kaifeng/lankao/zhangzhuang/poster/index.html"
    old = write(tmp_path / "old", {**untouched, poster: "<strong>屋顶 &amp; 光伏</strong>"})
    new = write(tmp_path / "new", {poster: "<strong>新修的村路</strong>"})

    changed = replace_pages_naming(new, old, [GONE])

    assert changed.replaced == [poster]
    assert {path: (old / path).read_text() for path in untouched} == untouched


def test_running_again_changes_nothing(tmp_path: Path) -> None:
    new = write(tmp_path / "new", with_gzip("index.html", "首页" * 100))
    old = write(tmp_path / "old", {"index.html": GONE, "sitemap.xml": GONE})
    replace_pages_naming(new, old, [GONE])
    files = {path: path.read_bytes() for path in old.rglob("*") if path.is_file()}

    again = replace_pages_naming(new, old, [GONE])

    assert (again.replaced, again.removed) == ([], [])
    assert {path: path.read_bytes() for path in old.rglob("*") if path.is_file()} == files


def listing(pages: list[str]) -> dict[str, str | bytes]:
    """A paginated listing of stories/ with these pages (urls.paged), each with its .gz."""
    files: dict[str, str | bytes] = {}
    for number, text in enumerate(pages, start=1):
        path = "stories/index.html" if number == 1 else f"stories/page/{number}/index.html"
        files.update(with_gzip(path, text))
    return files


def test_a_listing_naming_the_story_on_one_page_is_replaced_whole(tmp_path: Path) -> None:
    # The new release lists the stories in another order on two pages: a page 2 kept from
    # the old release would show a story page 1 shows too, and page 3 would skip one.
    new_pages = ["新一页：丙 乙", "新二页：甲"]
    new = write(tmp_path / "new", listing(new_pages))
    old = write(
        tmp_path / "old", listing([f'<a href="../{GONE}">屋顶</a> 丙', "旧二页：乙", "旧三页：甲"])
    )

    changed = replace_pages_naming(new, old, [GONE])

    pages = ["stories/index.html", "stories/page/2/index.html"]
    assert sorted(changed.replaced) == pages
    assert changed.removed == ["stories/page/3/index.html"]
    for path, text in zip(pages, new_pages, strict=True):
        assert (old / path).read_text() == text
        assert gzip.decompress((old / f"{path}.gz").read_bytes()).decode() == text
    assert not (old / "stories" / "page" / "3").exists()


def test_a_listing_with_more_pages_in_the_new_release_gets_them_all(tmp_path: Path) -> None:
    new_pages = ["新一页", "新二页", "新三页"]
    new = write(tmp_path / "new", listing(new_pages))
    old = write(tmp_path / "old", {"stories/index.html": f'<a href="../{GONE}">屋顶</a>'})

    changed = replace_pages_naming(new, old, [GONE])

    pages = ["stories/index.html", "stories/page/2/index.html", "stories/page/3/index.html"]
    assert sorted(changed.replaced) == pages
    assert [(old / path).read_text() for path in pages] == new_pages
    again = replace_pages_naming(new, old, [GONE])
    assert (again.replaced, again.removed) == ([], [])


def test_a_split_sitemap_is_replaced_whole_when_a_part_names_the_story(tmp_path: Path) -> None:
    new_files = {
        "sitemap.xml": "<sitemapindex>sitemap-1.xml sitemap-2.xml</sitemapindex>",
        "sitemap-1.xml": "<urlset>新的第一份</urlset>",
        "sitemap-2.xml": "<urlset>新的第二份</urlset>",
    }
    new = write(tmp_path / "new", new_files)
    old = write(
        tmp_path / "old",
        {
            **with_gzip(
                "sitemap.xml", "<sitemapindex>sitemap-1.xml … sitemap-3.xml</sitemapindex>"
            ),
            "sitemap-1.xml": "<urlset>旧的第一份</urlset>",
            "sitemap-2.xml": f"<urlset><loc>https://x.org/{GONE}</loc></urlset>",
            **with_gzip("sitemap-3.xml", "<urlset>旧的第三份</urlset>"),
        },
    )

    changed = replace_pages_naming(new, old, [GONE])

    assert sorted(changed.replaced) == sorted(new_files)
    assert changed.removed == ["sitemap-3.xml"]
    assert {path: (old / path).read_text() for path in new_files} == new_files
    assert not (old / "sitemap.xml.gz").exists()  # the new index has none: nginx serves this one
    assert sorted(path.name for path in old.iterdir()) == sorted(new_files)


def test_a_linked_file_whose_copy_was_stopped_is_copied_whole_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = '<img src="../media/new-640.jpg">'
    new = write(tmp_path / "new", {"media/new-640.jpg": b"JPEG" * 1000})
    old = write(tmp_path / "old", {})

    # Stopped once the bytes are written: a file at the final name would count as there,
    # and a truncated image or style sheet would be served (a year, immutable) from then on.
    def stopped(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(shutil, "copystat", stopped)
        with pytest.raises(KeyboardInterrupt):
            copy_missing_linked(new, old, page, "stories/")
    assert not (old / "media" / "new-640.jpg").exists()

    assert copy_missing_linked(new, old, page, "stories/") == ["media/new-640.jpg"]
    assert (old / "media" / "new-640.jpg").read_bytes() == b"JPEG" * 1000
