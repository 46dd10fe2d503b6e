"""Whole builds with media: what reaches site/, what a story page's markup says, the gallery,
a warm rebuild, and hostile files reported by `make check` and `make build` alike."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path
from typing import Any

import mediakit
import pytest
import sitekit

GPS_FOLDER = "2021-05-01-zhangzhuang-gps"
SHAPES_FOLDER = "2021-04-20-zhangzhuang-changjuan"
MEDIA_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".mp4", ".m4a", ".mov", ".bmp", ".heic"}


def story(
    title: str,
    *,
    date: str = "2021-05-01",
    extra: str = "",
    body: str = "村里的路修好了。",
    activity: str = "回村看",
) -> str:
    """A valid 摄影 story with consent given; `extra` adds media fields."""
    return sitekit.story_text(
        title,
        date=date,
        activity=activity,
        form="摄影",
        summary="用照片看村里的变化。",
        body=body,
        extra=extra + "consent: true\n",
    )


def pair_yaml(before: str, after: str, theme: str = "住房", caption: str = "危房改造前后") -> str:
    return (
        f"  - before: {before}\n"
        f"    after: {after}\n"
        "    before_year: 2016\n"
        "    after_year: 2021\n"
        f"    theme: {theme}\n"
        f"    caption: {caption}\n"
    )


def with_media_settings(project: Path, media: dict[str, Any]) -> None:
    """Override `extra.media` keys, inheriting the rest of the copied mkdocs.yml."""
    sitekit.override_config(project, {"extra": {"media": media}})


def sample_stories_and_files() -> tuple[dict[str, str], dict[str, bytes]]:
    """The repository's stories with their media, as make_project takes them."""
    stories: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for folder in sorted((sitekit.REPO_ROOT / sitekit.STORIES).iterdir()):
        if not (folder / "index.md").is_file():
            continue
        stories[folder.name] = (folder / "index.md").read_text("utf-8")
        for path in folder.rglob("*"):
            if path.is_file() and path.name != "index.md":
                files[path.relative_to(folder.parent).as_posix()] = path.read_bytes()
    return stories, files


# -- the sample site plus a phone photo with GPS -------------------------------------------------


@pytest.fixture(scope="module")
def media_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    stories, files = sample_stories_and_files()
    stories[GPS_FOLDER] = story(
        "张庄的新房",
        extra=f"cover: phone.jpg\npairs:\n{pair_yaml('old.jpg', 'phone.jpg')}",
        body="老房子拆了，新房子盖起来了。\n\n![新房的院子](yard.jpg)\n\n院子里种了月季。",
    )
    files[f"{GPS_FOLDER}/phone.jpg"] = mediakit.camera_jpeg((4000, 3000), orientation=6)
    files[f"{GPS_FOLDER}/old.jpg"] = mediakit.camera_jpeg((1600, 1200), orientation=1, seed=2)
    files[f"{GPS_FOLDER}/yard.jpg"] = mediakit.camera_jpeg((2000, 1500), orientation=8, seed=3)
    # Extreme shapes that the encoders can still write: a 1 px tall panorama at 480, and a
    # strip exactly as tall as WebP allows.
    stories[SHAPES_FOLDER] = story(
        "张庄的长卷",
        date="2021-04-20",
        extra="cover: panorama.png\n",
        body="黄河滩上的村子，一眼望不到头。\n\n![村史长卷](scroll.png)\n",
    )
    files[f"{SHAPES_FOLDER}/panorama.png"] = mediakit.strip_png((100000, 200))
    files[f"{SHAPES_FOLDER}/scroll.png"] = mediakit.strip_png((200, 16383))
    project = sitekit.make_project(
        tmp_path_factory.mktemp("media") / "project", stories, files=files
    )
    with_media_settings(project, {"gallery_per_page": 3})
    return project


@pytest.fixture(scope="module")
def media_build(media_project: Path) -> sitekit.BuildResult:
    # The project's own cache: the warm rebuild below counts what this cold build left.
    result = sitekit.build(media_project, strict=True, own_media_cache=True)
    assert result.returncode == 0, result.output
    return result


def source_media(project: Path) -> list[Path]:
    stories = project / sitekit.STORIES
    return [p for p in stories.rglob("*") if p.is_file() and p.suffix.lower() in MEDIA_SUFFIXES]


def has_gps(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix in (".mp4", ".m4a", ".mov"):
        return bool(mediakit.mp4_location(data))
    if data[:3] == b"\xff\xd8\xff" or data[:4] == b"RIFF" or data[:8] == b"\x89PNG\r\n\x1a\n":
        from PIL import Image

        with Image.open(path) as image:
            if image.getexif().get_ifd(mediakit.GPS_IFD):
                return True
            xmp = image.info.get("xmp") or b""
            return b"GPS" in (xmp if isinstance(xmp, bytes) else xmp.encode())
    return False


def test_no_original_and_no_gps_in_site(
    media_project: Path, media_build: sitekit.BuildResult
) -> None:
    site = media_build.site_dir
    sources = source_media(media_project)
    assert len(sources) >= 20
    assert any(has_gps(p) for p in sources), "the inputs must carry GPS for this test to mean much"
    digests = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in sources}
    published = [p for p in site.rglob("*") if p.is_file()]
    for path in published:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest not in digests, f"{path.relative_to(site)} is a copy of {digests[digest]}"
        assert not has_gps(path), f"{path.relative_to(site)} carries a location"
    for source in sources:
        relative = source.relative_to(media_project / "docs")
        assert not (site / relative).exists(), f"original {relative} was published"
    photos = [p for p in (site / "media").iterdir() if p.suffix in (".jpg", ".webp")]
    assert len(photos) >= 40
    for photo in photos:
        assert mediakit.image_metadata(photo) == [], f"{photo.name} carries metadata"


def test_videos_are_h264_aac_with_the_index_first(media_build: sitekit.BuildResult) -> None:
    from huatuopin.media import ffmpeg

    outputs = sorted((media_build.site_dir / "media").glob("*.m[p4][4a]"))
    assert {p.suffix for p in outputs} == {".mp4", ".m4a"}
    for path in outputs:
        data = path.read_bytes()
        boxes = mediakit.mp4_boxes(data)
        assert boxes.index(b"moov") < boxes.index(b"mdat"), f"{path.name}: {boxes}"
        assert mediakit.mp4_location(data) == [], path.name
        report = subprocess.run(
            [ffmpeg.executable(), "-hide_banner", "-i", str(path)], capture_output=True, text=True
        ).stderr
        assert "Audio: aac" in report, path.name
        if path.suffix == ".mp4":
            assert "Video: h264" in report, path.name
        else:
            assert "Video:" not in report, path.name


def test_story_page_markup(media_build: sitekit.BuildResult) -> None:
    html = (media_build.site_dir / "stories" / GPS_FOLDER / "index.html").read_text("utf-8")
    images = re.findall(r"<img\b[^>]*>", html)
    photos = [tag for tag in images if "/media/" in tag]
    assert len(photos) == 4  # cover, the pair's two photos, one in the body
    assert 'fetchpriority="high"' in photos[0] and "loading=" not in photos[0]
    for tag in photos[1:]:
        assert 'loading="lazy"' in tag and "fetchpriority" not in tag
    for tag in photos:
        assert re.search(r'width="\d+" height="\d+"', tag), tag
        assert re.search(r'alt="[^"]+"', tag), tag
        assert re.search(r'srcset="[^"]+ 480w', tag), tag
    # The phone photo was stored sideways: published landscape, 1600×1200 at most.
    assert 'width="1600" height="1200"' in photos[0]
    assert html.count('<source type="image/webp"') == 4
    assert 'alt="新房的院子"' in html
    assert "改造前 2016" in html and "改造后 2021" in html
    assert 'alt="危房改造前后：改造前（2016 年）"' in html
    assert re.search(r'<script src="[./]*assets/pairs\.[0-9a-f]{10}\.js" defer>', html)
    assert "phone.jpg" not in html and "yard.jpg" not in html, "the page names an original"


def test_extreme_shapes_are_published(media_build: sitekit.BuildResult) -> None:
    html = (media_build.site_dir / "stories" / SHAPES_FOLDER / "index.html").read_text("utf-8")
    assert 'width="1600" height="3"' in html  # the panorama, 100000×200
    assert 'width="200" height="16383"' in html  # the scroll, as tall as WebP allows
    assert re.search(r'srcset="[^"]+-480\.webp 480w', html)
    heights = {}
    for path in (media_build.site_dir / "media").glob("*.webp"):
        from PIL import Image

        with Image.open(path) as image:
            heights[image.size] = path.name
    assert (480, 1) in heights and (200, 16383) in heights


def test_video_and_audio_markup(media_build: sitekit.BuildResult) -> None:
    site = media_build.site_dir
    video_page = (site / "stories" / "2021-06-23-chongdugou-yitian" / "index.html").read_text()
    (video,) = re.findall(r"<video\b[^>]*>", video_page)
    for attribute in ("controls", 'preload="none"', "playsinline", 'poster="', 'width="'):
        assert attribute in video, video
    assert re.search(r'<source src="[^"]+\.mp4" type="video/mp4">', video_page)
    assert re.search(r'<track kind="subtitles" src="[^"]+\.vtt" srclang="zh"', video_page)
    vtt = next((site / "media").glob("*.vtt")).read_text("utf-8")
    assert vtt.startswith("WEBVTT")
    audio_page = (site / "stories" / "2021-05-20-zhangzhuang-kuaiban" / "index.html").read_text()
    assert re.search(r'<audio controls preload="none" src="[^"]+\.m4a">', audio_page)


def test_gallery(media_build: sitekit.BuildResult) -> None:
    site = media_build.site_dir
    first = (site / "gallery" / "index.html").read_text("utf-8")
    items = re.findall(r'<li class="hp-gallery__item"[^>]*>', first)
    assert len(items) == 3  # gallery_per_page: 3 in this project
    assert (site / "gallery" / "page" / "2" / "index.html").is_file()
    # Newest first: the GPS story (2021-05-01) is newer than every sample pair.
    assert f"stories/{GPS_FOLDER}/#pair-1" in first.split('class="hp-gallery__item"')[1]
    for slug in ("zhufang", "daolu", "yinshui", "chanye", "jiaoyu", "yiliao", "cunrong", "qita"):
        assert (site / "gallery" / slug / "index.html").is_file(), slug
    yinshui = (site / "gallery" / "yinshui" / "index.html").read_text("utf-8")
    assert yinshui.count('class="hp-gallery__item"') == 1
    assert 'data-theme="yinshui"' in yinshui and 'data-theme="zhufang"' not in yinshui
    assert (site / "gallery" / "city" / "kaifeng" / "index.html").is_file()
    assert (site / "gallery" / "activity" / "huicunkan" / "index.html").is_file()
    assert "data-hp-gallery-filter" in first and "/gallery/daolu/" in first
    home = (site / "index.html").read_text("utf-8")
    nav = re.search(r'href="gallery/"[^>]*>\s*前后对比', home)
    assert nav, "the gallery is in the site's navigation"


def test_warm_rebuild_encodes_nothing(
    media_project: Path, media_build: sitekit.BuildResult, tmp_path: Path
) -> None:
    cold = sitekit.media_counts(media_build.output)
    again = sitekit.build(
        media_project, strict=True, site_dir=tmp_path / "again", own_media_cache=True
    )
    assert again.returncode == 0, again.output
    warm = sitekit.media_counts(again.output)
    assert (warm.read, warm.encoded) == (0, 0), warm
    assert warm.files == cold.files
    media = sorted(p.name for p in (again.site_dir / "media").iterdir())
    assert media == sorted(p.name for p in (media_build.site_dir / "media").iterdir())


def test_media_are_served_by_mkdocs_serve(
    media_project: Path,
    media_build: sitekit.BuildResult,
    serve_project: sitekit.ServeProjectFactory,
) -> None:
    served = serve_project(media_project, own_media_cache=True)
    name = sorted(p.name for p in (media_build.site_dir / "media").glob("*-480.webp"))[0]
    status, _ = sitekit.fetch(served.url(f"/media/{name}"))
    assert status == 200, served.output()
    status, html = sitekit.fetch(served.url(f"/stories/{GPS_FOLDER}/"))
    assert status == 200 and "/media/" in html


# -- hostile files: `make check` and `make build` say the same --------------------------------

HOSTILE: dict[str, tuple[str, str, str]] = {
    # folder: (the field's line, file name, phrase of the message)
    "2021-04-01-bomb": ("cover: bomb.png", "bomb.png", "30000×30000"),
    "2021-04-02-cut": ("cover: cut.jpg", "cut.jpg", "不完整"),
    "2021-04-03-note": ("cover: note.jpg", "note.jpg", "文本文件"),
    "2021-04-04-scan": ("cover: scan.bmp", "scan.bmp", "BMP 格式"),
    "2021-04-05-huge": ("cover: huge.jpg", "huge.jpg", "超过照片文件上限"),
    "2021-04-06-clip": ("file: broken.mp4", "broken.mp4", "无法读取"),
    "2021-04-07-song": ("file: song.m4a", "song.m4a", "audios:"),
    "2021-04-08-strip": ("cover: strip.png", "strip.png", "16383"),
    "2021-04-09-liar": ("file: liar.mp4", "liar.mp4", "时长 0 分 10 秒"),
    "2021-04-11-wide": ("file: wide.mp4", "wide.mp4", "max_video_megapixels"),
    "2021-04-12-giant": ("file: giant.avi", "giant.avi", "giant.avi"),
}


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    contents = {
        "bomb.png": mediakit.png_bomb(),
        "cut.jpg": mediakit.truncated_jpeg(),
        "note.jpg": mediakit.text_as_jpeg(),
        "scan.bmp": mediakit.image_bytes("BMP", (64, 48)),
        "huge.jpg": mediakit.camera_jpeg((4000, 3000)),
        "broken.mp4": b"\x00\x00\x00\x20ftypisom" + bytes(range(256)) * 64,
        "song.m4a": mediakit.make_audio(root / "song.m4a").read_bytes(),
        "strip.png": mediakit.strip_png((200, 20000)),
        # 10 s of pictures and sound under headers that say 1 s; the limit here is 6 s.
        "liar.mp4": mediakit.lie_about_duration(
            mediakit.make_video(root / "ten.mp4", size="64x48", seconds=10).read_bytes(), 1
        ),
        "wide.mp4": mediakit.make_video(root / "wide.mp4", size="1280x720", seconds=1).read_bytes(),
        "giant.avi": mediakit.video_claiming_size(root / "giant.avi", 8000, 8000).read_bytes(),
    }
    stories = {}
    files = {}
    for folder, (line, name, _) in HOSTILE.items():
        key = line.split(":")[0]
        extra = (
            f"cover: {name}\n" if key == "cover" else f"videos:\n  - {line}\n    caption: 片段\n"
        )
        stories[folder] = story(f"坏文件 {folder[-4:]}", extra=extra)
        files[f"{folder}/{name}"] = contents[name]
    good = "2021-04-10-good"
    stories[good] = story("好照片", extra="cover: good.jpg\n")
    files[f"{good}/good.jpg"] = mediakit.small_jpeg((900, 600))
    project = sitekit.make_project(root / "project", stories, files=files)
    # 150 KB: only huge.jpg is over; 6 s: only liar.mp4 is over; 0.5 megapixels: wide.mp4.
    with_media_settings(
        project, {"max_image_mb": 0.15, "max_video_minutes": 0.1, "max_video_megapixels": 0.5}
    )
    return project


def assert_reported(output: str, project: Path) -> None:
    assert "Traceback" not in output, output
    for folder, (needle, name, phrase) in HOSTILE.items():
        index = project / sitekit.STORIES / folder / "index.md"
        number = sitekit.line_of(index.read_text("utf-8"), needle)
        field = "cover" if needle.startswith("cover") else "videos[0].file"
        prefix = f"docs/stories/{folder}/index.md:{number}: {field}: “{name}”"
        matching = [line for line in output.splitlines() if prefix in line]
        assert len(matching) == 1, f"{prefix} not reported once:\n{output}"
        assert phrase in matching[0], matching[0]


def test_check_reports_every_hostile_file(hostile_project: Path) -> None:
    completed = sitekit.check(hostile_project)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert_reported(completed.stdout + completed.stderr, hostile_project)
    assert f"共 {len(HOSTILE)} 个问题" in completed.stdout


def test_strict_build_reports_every_hostile_file(hostile_project: Path, tmp_path: Path) -> None:
    result = sitekit.build(hostile_project, strict=True, site_dir=tmp_path / "site")
    assert result.returncode == 1
    assert_reported(result.output, hostile_project)
    assert f"{len(HOSTILE)} 篇稿件未能发布" in result.output
    assert not (tmp_path / "site" / "media").exists(), "a failed build published media"


def test_lenient_build_publishes_only_the_good_story(hostile_project: Path, tmp_path: Path) -> None:
    result = sitekit.build(hostile_project, strict=False, site_dir=tmp_path / "site")
    assert result.returncode == 0, result.output
    assert_reported(result.output, hostile_project)
    site = result.site_dir
    assert (site / "stories" / "2021-04-10-good" / "index.html").is_file()
    for folder in HOSTILE:
        assert not (site / "stories" / folder).exists(), folder
    widths = sorted(int(p.stem.rsplit("-", 1)[1]) for p in (site / "media").glob("*.webp"))
    assert widths == [160, 320, 480, 720, 900], "only the good photo's variants are published"
