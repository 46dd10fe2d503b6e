"""Where the media cache lives (mkdocs.yml, the environment), several builds sharing one, and
its upkeep: what `prune` removes and keeps, and what `clear` leaves alone."""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import mediakit
import pytest
from huatuopin.catalog import build_catalog
from huatuopin.media.cache import (
    CACHE_ENV,
    PROJECT_CACHE_ENV,
    STALE_TEMPORARY_SECONDS,
    MediaCache,
    SourceRecord,
    atomic_write_bytes,
    cache_root,
    project_cache_root,
)
from huatuopin.media.check import cache_for
from huatuopin.media.images import ImageJob
from huatuopin.media.pipeline import job_for, publish_media, run_job
from huatuopin.settings import CampaignSettings, SettingsError
from storykit import BASE_BODY, problems_text, write_story

SETTINGS = CampaignSettings()


def photo_story(root: Path, photo: bytes | None = None) -> None:
    write_story(
        root,
        {"cover": "cover.jpg", "consent": True},
        BASE_BODY,
        files={"cover.jpg": photo or mediakit.small_jpeg((900, 600))},
    )


def publish(root: Path, settings: CampaignSettings = SETTINGS) -> Any:
    catalog = build_catalog(root, root / "docs", settings, include_drafts=False)
    assert not catalog.problems, problems_text(catalog.problems)
    return publish_media(catalog, root, settings.media, workers=1)


# -- where it is --------------------------------------------------------------------------------


def test_the_cache_is_in_the_project_unless_told_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.delenv(PROJECT_CACHE_ENV, raising=False)
    assert cache_root(tmp_path) == tmp_path / ".cache" / "media"
    assert cache_root(tmp_path, "../shared-cache/media") == tmp_path / ".." / "shared-cache/media"
    assert cache_root(tmp_path, "/srv/cache/media") == Path("/srv/cache/media")
    assert project_cache_root(tmp_path, ".cache") == tmp_path / ".cache"
    # The environment wins over mkdocs.yml: the whole cache folder, of which media is a part…
    monkeypatch.setenv(PROJECT_CACHE_ENV, "/var/cache/huatuopin")
    assert cache_root(tmp_path, "../shared-cache/media") == Path("/var/cache/huatuopin/media")
    assert project_cache_root(tmp_path, ".cache") == Path("/var/cache/huatuopin")
    # …and the media part alone, which a relative path takes from the project too.
    monkeypatch.setenv(CACHE_ENV, "media-cache")
    assert cache_root(tmp_path) == tmp_path / "media-cache"


def test_one_cache_folder_is_read_from_mkdocs_yml() -> None:
    assert SETTINGS.cache_dir == ".cache"
    assert SETTINGS.media.cache_dir == ".cache/media"
    settings = CampaignSettings.from_extra({"cache_dir": " ../cache "})
    assert (settings.cache_dir, settings.media.cache_dir) == ("../cache", "../cache/media")


@pytest.mark.parametrize(
    ("extra", "phrase"),
    [
        ({"cache_dir": 5}, "extra.cache_dir 应为一个文件夹路径"),
        ({"cache_dir": "  "}, "extra.cache_dir 应为一个文件夹路径"),
        ({"cache_dir": "docs/.cache"}, "extra.cache_dir 不能放在 docs/ 里"),
        # The setting of old: the message says where it went.
        ({"media": {"cache_dir": ".cache/media"}}, "extra.media.cache_dir 已改为 extra.cache_dir"),
    ],
)
def test_bad_cache_dir(extra: dict[str, Any], phrase: str) -> None:
    with pytest.raises(SettingsError) as caught:
        CampaignSettings.from_extra(extra)
    assert phrase in str(caught.value)


@pytest.mark.usefixtures("private_media_cache")
def test_a_build_writes_where_mkdocs_yml_and_then_the_environment_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    photo_story(project)
    elsewhere = CampaignSettings.from_extra({"cache_dir": "../elsewhere"})
    outputs = publish(project, elsewhere).outputs.values()
    media = tmp_path / "elsewhere" / "media" / "files"
    assert outputs and all(path.parent == media for path in outputs)
    assert not (project / ".cache").exists()

    monkeypatch.setenv(PROJECT_CACHE_ENV, str(tmp_path / "kept-by-ci"))
    outputs = publish(project, elsewhere).outputs.values()
    media = tmp_path / "kept-by-ci" / "media" / "files"
    assert outputs and all(path.parent == media for path in outputs)

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "from-env"))
    outputs = publish(project, elsewhere).outputs.values()
    assert outputs and all(path.parent == tmp_path / "from-env" / "files" for path in outputs)


# -- shared by several builds ---------------------------------------------------------------------


def test_projects_sharing_a_cache_encode_a_photo_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "shared"))
    photo = mediakit.small_jpeg((1000, 700), (7, 77, 177))
    photo_story(tmp_path / "a", photo)
    photo_story(tmp_path / "b", photo)
    first = publish(tmp_path / "a")
    assert (first.stats.read, first.stats.encoded) == (1, 1)
    second = publish(tmp_path / "b")
    # Each project reads its own file (records are per path) but makes nothing new.
    assert (second.stats.read, second.stats.encoded, second.stats.reused) == (1, 0, 1)
    assert sorted(second.outputs.values()) == sorted(first.outputs.values())
    assert cache_for(tmp_path / "a", SETTINGS.media) is not cache_for(
        tmp_path / "b", SETTINGS.media
    )


def test_builds_making_the_same_files_at_once_leave_whole_files(tmp_path: Path) -> None:
    """Two builds that miss the same entry both encode it into the one cache: each writes its
    own temporary files and renames them, and both write the same bytes."""
    source = tmp_path / "photo.jpg"
    source.write_bytes(mediakit.camera_jpeg((2400, 1800), orientation=6))
    cache = MediaCache(tmp_path / "cache")
    job = ImageJob(str(source), "k" * 64, str(cache.files_dir), SETTINGS.media.max_image_pixels)
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        first, second = pool.map(run_job, [job, job])
    assert first == second and "error" not in first
    cache.save_entry(job.key, first)
    assert cache.entry(job.key) == first
    assert sorted(p.name for p in cache.files_dir.iterdir()) == sorted(first["files"])
    alone = tmp_path / "alone"
    run_job(ImageJob(str(source), "k" * 64, str(alone), SETTINGS.media.max_image_pixels))
    for name in first["files"]:
        assert (cache.files_dir / name).read_bytes() == (alone / name).read_bytes(), name


@pytest.mark.usefixtures("private_media_cache")
def test_a_damaged_source_record_is_read_again_not_a_crash(tmp_path: Path) -> None:
    photo_story(tmp_path)
    assert publish(tmp_path).stats.read == 1
    (record,) = (tmp_path / ".cache" / "media" / "sources").rglob("*.json")
    data = json.loads(record.read_text(encoding="utf-8"))
    del data["sha256"]
    record.write_text(json.dumps(data), encoding="utf-8")
    again = publish(tmp_path)
    assert (again.stats.read, again.stats.encoded, again.stats.reused) == (1, 0, 1)


def test_an_entry_naming_a_path_is_damaged(tmp_path: Path) -> None:
    """A manifest names plain files in files/: anything else is never published or removed."""
    cache = MediaCache(tmp_path / "cache")
    outside = tmp_path / "keep-me.txt"
    outside.write_text("not the cache's", encoding="utf-8")
    cache.save_entry("k", {"kind": "image", "files": ["../../keep-me.txt"]})
    assert cache.entry("k") is None
    report = cache.prune(set(), set())
    assert report.removed_entries == [("k", "")]
    assert outside.read_text(encoding="utf-8") == "not the cache's"


# -- upkeep ------------------------------------------------------------------------------------


def filled_cache(tmp_path: Path) -> tuple[MediaCache, Path, Path]:
    """Entries `used` and `gone` with two files each, an orphan file, the records of two
    sources, and temporary files of a stopped build (old) and of a running one (new)."""
    cache = MediaCache(tmp_path / "cache")
    for key in ("used", "gone"):
        names = [f"{key}-480.webp", f"{key}-480.jpg"]
        for name in names:
            atomic_write_bytes(cache.files_dir / name, key.encode() * 100)
        cache.save_entry(key, {"kind": "image", "files": names})
    atomic_write_bytes(cache.files_dir / "orphan-720.webp", b"orphan")
    kept, dropped = tmp_path / "kept.jpg", tmp_path / "dropped.jpg"
    for path in (kept, dropped):
        path.write_bytes(b"source")
        cache.remember_source(path, SourceRecord(6, 1, "0" * 64, {"image": {}}))
    old = time.time() - STALE_TEMPORARY_SECONDS - 60
    for name in (".used-1600.webp.abc.tmp", ".x.def.mp4"):
        atomic_write_bytes(cache.files_dir / name, b"half")
        os.utime(cache.files_dir / name, (old, old))
    atomic_write_bytes(cache.files_dir / ".y.ghi.mp4", b"being written")
    return cache, kept, dropped


def test_prune_removes_what_no_source_uses_and_keeps_the_rest(tmp_path: Path) -> None:
    cache, kept, dropped = filled_cache(tmp_path)
    report = cache.prune({"used"}, {kept})
    assert report.kept_entries == [("used", "image")]
    assert report.removed_entries == [("gone", "image")]
    assert sorted(report.removed_files) == ["gone-480.jpg", "gone-480.webp", "orphan-720.webp"]
    assert report.kept_files == 2 and report.kept_bytes == 800
    assert report.kept_sources == [str(kept.resolve())]
    assert report.removed_sources == [str(dropped.resolve())]
    assert cache.entry("used") is not None and cache.entry("gone") is None
    left = sorted(p.name for p in cache.files_dir.iterdir())
    assert left == [".y.ghi.mp4", "used-480.jpg", "used-480.webp"], "a running build's file stays"
    assert cache.known_source(kept, 6, 1) is not None
    assert cache.known_source(dropped, 6, 1) is None
    assert len(list((cache.root / "sources").iterdir())) == 1, "emptied folders go too"


def test_a_dry_run_removes_nothing(tmp_path: Path) -> None:
    cache, kept, _ = filled_cache(tmp_path)
    before = sorted(p for p in cache.root.rglob("*"))
    report = cache.prune({"used"}, {kept}, dry_run=True)
    assert report.removed_entries == [("gone", "image")]
    assert sorted(p for p in cache.root.rglob("*")) == before


def test_prune_keeps_what_a_build_uses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys from `job_for`, as the build computes them: a warm build after pruning makes
    nothing."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    project = tmp_path / "project"
    photo_story(project)
    publish(project)
    catalog = build_catalog(project, project / "docs", SETTINGS, include_drafts=False)
    cache = cache_for(project, SETTINGS.media)
    refs = [ref for story in catalog.stories for ref in story.media.refs]
    keys = {job_for(ref, cache, SETTINGS.media)[0] for ref in refs}
    report = cache.prune(keys, {ref.path for ref in refs})
    assert report.removed_entries == [] and report.removed_files == []
    assert len(report.kept_entries) == 1 and report.kept_files == 10  # 160, 320, 480, 720, 900 wide
    warm = publish(project)
    assert (warm.stats.read, warm.stats.encoded) == (0, 0)


def test_clear_empties_the_cache_and_nothing_else(tmp_path: Path) -> None:
    cache, _, _ = filled_cache(tmp_path)
    cache.clear()
    assert not cache.root.exists()
    cache, _, _ = filled_cache(tmp_path)
    (cache.root / "README.txt").write_text("someone else's", encoding="utf-8")
    cache.clear()
    assert [p.name for p in cache.root.iterdir()] == ["README.txt"]
