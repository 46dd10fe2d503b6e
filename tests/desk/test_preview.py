"""The preview: the submitted story built with the site's own configuration, templates,
hooks and media cache, alone among the stories."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import mediakit
import pytest
import sitekit
from PIL import Image

from desk import preview
from desk.photos import normalise_upload
from desk.preview import PreviewError, build_preview, preview_file

OTHER_TITLE = "别的村的另一篇稿件"
OTHER_FOLDER = "2021-03-01-other-story"
TITLE = "预览里的光伏板"
PROFILE = sitekit.REPO_ROOT / "docs" / "villages" / "kaifeng" / "lankao" / "zhangzhuang.md"
OTHER_PROFILE = next(
    p for p in sorted((sitekit.REPO_ROOT / "docs" / "villages").rglob("*.md")) if p != PROFILE
)


def published_project(root: Path) -> Path:
    """A site with one published story and two village profiles: the story's village (under
    a file name of its own, so its page's URL is the profile's) and another."""
    project = sitekit.make_project(root, {OTHER_FOLDER: sitekit.story_text(OTHER_TITLE)})
    villages = project / "docs" / "villages"
    (villages / "kaifeng" / "lankao").mkdir(parents=True)
    shutil.copy(PROFILE, villages / "kaifeng" / "lankao" / "zhangzhuang-lankao.md")
    other = villages / OTHER_PROFILE.relative_to(sitekit.REPO_ROOT / "docs" / "villages")
    other.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(OTHER_PROFILE, other)
    return project


def submission(folder: Path, *, title: str = TITLE, activity: str = "入户访") -> Path:
    """A story folder as the desk keeps it in its inbox: a HEIC cover from an iPhone,
    converted on upload, and a JPEG taken sideways."""
    folder.mkdir(parents=True)
    heic = folder / "u-1.heic"
    heic.write_bytes(mediakit.camera_heic((1600, 1200)))
    cover = normalise_upload(heic).name
    (folder / "u-2.jpg").write_bytes(mediakit.camera_jpeg((1200, 900), seed=3))
    (folder / "index.md").write_text(
        sitekit.story_text(
            title,
            activity=activity,
            body="村里的光伏板一排排立在屋顶上。\n\n![屋顶](u-2.jpg)",
            extra=f"cover: {cover}\nconsent: true\n",
        ),
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the preview's site folder, the story page's folder)."""
    base = tmp_path_factory.mktemp("preview")
    project = published_project(base / "project")
    story = submission(base / "desk" / "inbox" / "s-1" / "story")
    out_dir = base / "desk" / "previews" / "s-1"
    return out_dir, build_preview(project, story, out_dir)


def test_the_page_has_the_title_and_the_photos_as_the_site_renders_them(
    built: tuple[Path, Path],
) -> None:
    out_dir, page_dir = built
    html = (page_dir / "index.html").read_text("utf-8")

    assert page_dir == out_dir / "stories" / "2021-03-12-zhangzhuangcun"
    assert f"<h1>{TITLE}</h1>" in html or f">{TITLE}</h1>" in html
    assert html.count("<picture") == 2
    assert 'srcset="../../media/' in html
    for name in ("u-1.jpg", "u-2.jpg", "u-1.heic"):  # originals never published
        assert not list(out_dir.rglob(name))
    for source in page_dir.joinpath("index.html").read_text("utf-8").split('srcset="')[1:]:
        first = source.split(" ", 1)[0]
        assert (page_dir / first).resolve().is_file(), first


def test_the_iphone_photo_is_upright_and_without_gps(built: tuple[Path, Path]) -> None:
    out_dir, _ = built
    variants = sorted(
        (path for path in (out_dir / "media").glob("*-1600.jpg")),
        key=lambda path: path.stat().st_size,
    )
    assert variants
    uprights = []
    for path in variants:
        assert mediakit.image_metadata(path) == []
        with Image.open(path) as image:
            red, green, _ = image.convert("RGB").getpixel((5, 5))
            uprights.append(image.size == (1600, 1200) and red > 180 and green < 80)
    assert any(uprights)


def test_nothing_of_other_stories_is_in_the_preview(built: tuple[Path, Path]) -> None:
    out_dir, _ = built
    for path in out_dir.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".ics", ".txt"):
            text = path.read_text("utf-8", errors="replace")
            assert OTHER_TITLE not in text, path
            assert OTHER_FOLDER not in text, path
    assert not (out_dir / "stories" / OTHER_FOLDER).exists()


def test_the_villages_published_profile_is_used_and_no_other(built: tuple[Path, Path]) -> None:
    out_dir, page_dir = built
    village_page = out_dir / "villages" / "kaifeng" / "lankao" / "zhangzhuang-lankao"

    assert "民族乐器加工" in (village_page / "index.html").read_text("utf-8")
    assert "villages/kaifeng/lankao/zhangzhuang-lankao/" in (page_dir / "index.html").read_text(
        "utf-8"
    )
    other = OTHER_PROFILE.relative_to(sitekit.REPO_ROOT / "docs").with_suffix("")
    assert not (out_dir / other).exists()


def test_the_preview_uses_the_projects_media_cache_so_publishing_encodes_nothing(
    tmp_path: Path, private_media_cache: None
) -> None:
    project = sitekit.make_project(tmp_path / "project", {})
    story = submission(tmp_path / "inbox" / "s-2" / "story", title="缓存里的照片")
    build_preview(project, story, tmp_path / "previews" / "s-2")

    shutil.copytree(story, project / "docs" / "stories" / "2021-03-12-zhangzhuang")
    result = sitekit.build(project, own_media_cache=True)

    assert result.returncode == 0, result.output
    counts = sitekit.media_counts(result.output)
    assert (counts.encoded, counts.reused) == (0, 2)


def test_a_story_with_problems_has_no_preview_and_says_why(tmp_path: Path) -> None:
    project = sitekit.make_project(tmp_path / "project", {})
    story = submission(tmp_path / "inbox" / "s-3" / "story", activity="回乡看")
    out_dir = tmp_path / "previews" / "s-3"
    out_dir.mkdir(parents=True)
    (out_dir / "earlier.html").write_text("上一次的预览", "utf-8")

    with pytest.raises(PreviewError, match="还不能预览") as raised:
        build_preview(project, story, out_dir)

    assert any(
        line.startswith("docs/stories/2021-03-12-zhangzhuangcun/index.md:4: activity: “回乡看”")
        for line in raised.value.problems
    ), raised.value.problems
    assert (out_dir / "earlier.html").read_text("utf-8") == "上一次的预览"
    assert sorted(p.name for p in out_dir.parent.iterdir()) == ["s-3"]  # nothing left over


def test_a_build_over_the_time_limit_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = sitekit.make_project(tmp_path / "project", {})
    story = submission(tmp_path / "inbox" / "s-4" / "story")
    monkeypatch.setattr(preview, "PREVIEW_TIMEOUT_SECONDS", 0.2)

    with pytest.raises(PreviewError, match="还没有做好"):
        build_preview(project, story, tmp_path / "previews" / "s-4")

    assert list((tmp_path / "previews").iterdir()) == []


def relative_links(html: str) -> set[str]:
    """Every URL of the page's src, href and srcset attributes that points into the site."""
    found: set[str] = set()
    for attribute in re.findall(r'\s(?:src|href|srcset)="([^"]*)"', html):
        for candidate in attribute.split(","):
            url = candidate.strip().split(" ", 1)[0]
            if url and not re.match(r"^(?:[a-z]+:|#|/)", url):
                found.add(url.split("#", 1)[0].split("?", 1)[0])
    return found


def test_served_from_its_root_every_link_of_the_page_is_found(built: tuple[Path, Path]) -> None:
    out_dir, page_dir = built
    page_url = f"/{page_dir.relative_to(out_dir).as_posix()}/"
    links = relative_links((page_dir / "index.html").read_text("utf-8"))

    assert any("media/" in link for link in links) and any(".css" in link for link in links)
    missing = [
        link
        for link in sorted(links)
        if preview_file(out_dir, posixpath.normpath(posixpath.join(page_url, link))) is None
    ]
    assert missing == []
    assert preview_file(out_dir, page_url) == page_dir / "index.html"


@pytest.mark.parametrize(
    "path", ["../project/mkdocs.yml", "stories/../../x", ".secret", "media/.hidden", "a\x00b"]
)
def test_nothing_outside_the_preview_or_hidden_is_served(
    built: tuple[Path, Path], path: str
) -> None:
    out_dir, _ = built
    (out_dir / ".secret").write_text("x", "utf-8")

    assert preview_file(out_dir, path) is None


def test_a_link_inside_the_preview_is_not_followed(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    out_dir, _ = built
    outside = tmp_path / "outside.txt"
    outside.write_text("私密", "utf-8")
    (out_dir / "link.txt").symlink_to(outside)

    assert preview_file(out_dir, "link.txt") is None
