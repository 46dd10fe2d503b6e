"""The media cache through the real commands: `mkdocs build` puts it where mkdocs.yml says,
and `make clean-cache` (scripts/clean-cache) removes what no story and no member photo uses
any more, keeps the rest, says which in Chinese, and leaves a cache a warm build makes nothing
with. Each project here has a cache of its own, not the test run's shared one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import mediakit
import pytest
import sitekit
from huatuopin.media.cache import MediaCache

KEPT = "2021-05-01-zhangzhuang-xinfang"
GONE = "2021-05-02-zhangzhuang-jiulu"
BROKEN = "2021-05-03-zhangzhuang-daixiu"
MEMBER_PHOTO = "photos/sun-desheng.jpg"
MEMBERS = f"""- id: sun-desheng
  name: 孙德胜
  category: 农村党支部书记
  unit: 兰考县东坝头镇张庄村党支部
  city: 开封市
  bio: 张庄村党支部书记。
  photo: {MEMBER_PHOTO}
"""
DIGEST = re.compile(r"media/([0-9a-f]{16})-\d+\.webp")


def photo_story(title: str, photo: str, *, activity: str = "回村看") -> str:
    return sitekit.story_text(
        title, activity=activity, form="摄影", extra=f"cover: {photo}\nconsent: true\n"
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A story to keep, one to delete, one with a problem (not published, but its photo is
    still its own), and a member with a photo."""
    stories = {
        KEPT: photo_story("张庄的新房", "new.jpg"),
        GONE: photo_story("张庄的旧路", "old.jpg"),
        BROKEN: photo_story("活动写错了", "wait.jpg", activity="回乡看"),
    }
    files = {
        f"{KEPT}/new.jpg": mediakit.small_jpeg((900, 600), (200, 40, 40)),
        f"{GONE}/old.jpg": mediakit.small_jpeg((900, 600), (40, 200, 40)),
        f"{BROKEN}/wait.jpg": mediakit.small_jpeg((900, 600), (40, 40, 200)),
    }
    project = sitekit.make_project(tmp_path / "project", stories, files=files)
    troupe = project / "docs" / "troupe"
    (troupe / "photos").mkdir(parents=True)
    (troupe / "members.yml").write_text(MEMBERS, encoding="utf-8")
    (troupe / MEMBER_PHOTO).write_bytes(mediakit.small_jpeg((600, 800)))
    return project


def story_digests(site: Path, folder: str) -> set[str]:
    """The derived photos a published story page shows, by content digest."""
    return set(DIGEST.findall((site / "stories" / folder / "index.html").read_text("utf-8")))


def cached_digests(cache: Path) -> set[str]:
    return {path.name[:16] for path in (cache / "files").iterdir()}


def build(project: Path, site: str) -> sitekit.BuildResult:
    # Lenient, as `make serve` builds: the story with a problem is left out, the rest built.
    result = sitekit.build(project, strict=False, site_dir=project / site, own_media_cache=True)
    assert result.returncode == 0, result.output
    return result


def test_clean_cache_removes_what_nothing_uses_and_keeps_the_rest(project: Path) -> None:
    cache = project / ".cache" / "media"
    first = build(project, "site")
    kept, gone = story_digests(first.site_dir, KEPT), story_digests(first.site_dir, GONE)
    assert kept and gone and kept | gone <= cached_digests(cache)

    shutil.rmtree(project / sitekit.STORIES / GONE)
    cleaned = sitekit.run_script("clean-cache", project, own_media_cache=True)
    assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
    report = cleaned.stdout
    assert "媒体缓存：.cache/media" in report
    assert "已删除：1 组派生文件（10 个文件" in report, report
    assert f"源文件记录：docs/stories/{GONE}/old.jpg" in report
    # Records: new.jpg, wait.jpg (its story is still there) and the member's photo; derived
    # files: new.jpg's and the member photo's (wait.jpg's story was never published).
    assert "保留：3 个仍在使用的源文件的记录，派生文件 照片 2 组（18 个文件" in report, report
    assert "Traceback" not in cleaned.stderr
    left = cached_digests(cache)
    assert kept <= left and not gone & left
    records = MediaCache(cache)
    assert records.source_record_path(project / "docs/troupe" / MEMBER_PHOTO).is_file()
    assert records.source_record_path(project / sitekit.STORIES / BROKEN / "wait.jpg").is_file()

    warm = sitekit.media_counts(build(project, "site-again").output)
    assert (warm.read, warm.encoded) == (0, 0), warm

    again = sitekit.run_script("clean-cache", project, own_media_cache=True)
    assert "没有不再使用的缓存，什么也没删除。" in again.stdout, again.stdout


def test_clean_cache_all_empties_the_cache(project: Path) -> None:
    build(project, "site")
    cleaned = sitekit.run_script("clean-cache", project, "--all", own_media_cache=True)
    assert cleaned.returncode == 0 and "已清空整个媒体缓存。" in cleaned.stdout, cleaned.stdout
    assert not (project / ".cache" / "media").exists()


def test_the_cache_goes_where_mkdocs_yml_puts_it(project: Path, tmp_path: Path) -> None:
    sitekit.override_config(project, {"extra": {"cache_dir": "../shared"}})
    first = build(project, "site")
    assert story_digests(first.site_dir, KEPT) <= cached_digests(tmp_path / "shared" / "media")
    assert not (project / ".cache").exists()
    cleaned = sitekit.run_script("clean-cache", project, "--dry-run", own_media_cache=True)
    assert "媒体缓存：" + str(tmp_path / "shared" / "media") in cleaned.stdout, cleaned.stdout
