"""Derived media files for the published stories and the troupe's member photos: cached, made
in parallel, never partial.

Runs in the build once the Catalog is final (every file was probed in validation). Each
source becomes one job keyed by its content and the pipeline's settings; a job whose entry is
in the cache is not run. Jobs run in worker processes on every core. The Catalog is not
changed: the derived files come back as a `MediaPublication`. A file that still fails here
(the probe passed, the encoder did not) comes back as a Problem at the field's line, and the
build decides (site.py): a strict build stops, a preview resolves the Catalog again without
that story (a member photo stops every build).

A member photo is one more image job, with the same key as the same file in a story: its
smallest JPEG variant (at most 480 px wide) is published at the member's photo URL.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .. import urls
from ..problems import Problem
from .av import AUDIO_SIGNATURE, VIDEO_SIGNATURE, AudioJob, VideoJob, run_audio_job, run_video_job
from .cache import CacheStats, MediaCache, atomic_write_bytes, cache_key
from .check import cache_for
from .images import DEFAULT_PIPELINE, ImageJob, run_image_job
from .progress import Progress
from .records import (
    Asset,
    AudioAsset,
    ImageAsset,
    MediaError,
    MediaRef,
    StoryAssets,
    SubtitlesAsset,
    Variant,
    VideoAsset,
)
from .settings import MediaSettings
from .subtitles import read_webvtt

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File

    from ..catalog import Catalog
    from ..models import Story
    from ..troupe.models import Member

log = logging.getLogger("mkdocs.plugins.huatuopin")

Job = ImageJob | VideoJob | AudioJob
NO_ASSETS = StoryAssets()


@dataclass(frozen=True)
class MediaPublication:
    """The derived files of a build: site path -> file in the cache; each story's assets;
    and the problems of files that could not be made, by story. Member photos: the URL each
    member's photo is published at, and the problems of photos that could not be made."""

    outputs: dict[str, Path] = field(default_factory=dict)
    stats: CacheStats = field(default_factory=CacheStats)
    assets: dict[str, StoryAssets] = field(default_factory=dict)  # story source path →
    failures: dict[str, tuple[Problem, ...]] = field(default_factory=dict)  # story source path →
    member_photos: dict[str, str] = field(default_factory=dict)  # member id → site URL
    photo_failures: tuple[Problem, ...] = ()
    # What each published story uses, for the release's facts (releasefacts.py): its site
    # paths under /media/ and its cache keys, by story source path; and the members' keys.
    story_files: dict[str, tuple[str, ...]] = field(default_factory=dict)
    story_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    member_keys: tuple[str, ...] = ()

    def of(self, story: Story) -> StoryAssets:
        """A story's derived media; none for a story built without the media step."""
        return self.assets.get(story.source_path, NO_ASSETS)

    def files(self, config: MkDocsConfig) -> list[File]:
        from mkdocs.structure.files import File

        return [
            File.generated(config, uri, abs_src_path=str(path))
            for uri, path in sorted(self.outputs.items())
        ]


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def job_for(ref: MediaRef, cache: MediaCache, settings: MediaSettings) -> tuple[str, Job | None]:
    """The cache key of a reference's derived files, and the job that makes them."""
    assert ref.sha256 is not None
    files_dir = str(cache.files_dir)
    timeout = settings.ffmpeg_timeout_seconds
    if ref.kind == "image":
        key = cache_key(ref.sha256, DEFAULT_PIPELINE.signature)
        return key, ImageJob(str(ref.path), key, files_dir, settings.max_image_pixels)
    # The length limit is part of the key: the published file is cut at it.
    if ref.kind == "video":
        limit = settings.max_video_seconds
        key = cache_key(ref.sha256, f"{VIDEO_SIGNATURE} max={limit:g}s")
        job = VideoJob(
            str(ref.path), key, files_dir, ref.facts, timeout, limit, settings.max_video_pixels
        )
        return key, job
    if ref.kind == "audio":
        limit = settings.max_audio_seconds
        key = cache_key(ref.sha256, f"{AUDIO_SIGNATURE} max={limit:g}s")
        return key, AudioJob(str(ref.path), key, files_dir, ref.facts, timeout, limit, 0)
    return cache_key(ref.sha256, "webvtt v1"), None


def run_job(job: Job) -> dict[str, Any]:
    """The worker's entry point: the manifest, or `{"error": message}`; never raises."""
    runner: Callable[[Any], dict[str, Any]]
    if isinstance(job, ImageJob):
        runner = run_image_job
    elif isinstance(job, VideoJob):
        runner = run_video_job
    else:
        runner = run_audio_job
    try:
        return runner(job)
    except MediaError as error:
        return {"error": error.message}
    except MemoryError:
        return {"error": "处理时内存不足；请把文件缩小后再放入"}
    except Exception as error:  # a crash on one file must not stop the others
        return {"error": f"处理时出错（{type(error).__name__}: {error}）；请重新导出这个文件"}


def publish_media(
    catalog: Catalog,
    project_root: Path,
    settings: MediaSettings,
    *,
    workers: int | None = None,
    progress_stream: TextIO | None = None,
) -> MediaPublication:
    """Make (or find in the cache) every derived file of the Catalog's stories and of its
    members' photos."""
    cache = cache_for(project_root, settings)
    refs_by_key: dict[str, list[tuple[Story, MediaRef]]] = {}
    photo_keys: list[tuple[Member, MediaRef, str]] = []
    jobs: dict[str, Job] = {}
    manifests: dict[str, dict[str, Any]] = {}

    def plan(ref: MediaRef) -> str:
        """The key of the reference's files, noting how to get them: cached or a job."""
        key, job = job_for(ref, cache, settings)
        if key in manifests or key in jobs:
            return key
        manifest = cache.entry(key)
        if manifest is not None:
            manifests[key] = manifest
            cache.stats.reused += 1
        elif job is None:
            manifests[key] = _publish_subtitles(ref, key, cache, settings)
        else:
            jobs[key] = job
        return key

    for story in catalog.stories:
        if story.media is None:
            continue
        for ref in story.media.refs:
            refs_by_key.setdefault(plan(ref), []).append((story, ref))
    for member in catalog.troupe.members:
        if member.photo_ref is not None:
            photo_keys.append((member, member.photo_ref, plan(member.photo_ref)))
    manifests.update(_run_jobs(jobs, cache, workers, progress_stream))

    outputs: dict[str, dict[str, Path]] = {}  # story source path → site path → cached file
    keys: dict[str, set[str]] = {}  # story source path → cache keys
    assets: dict[str, dict[tuple[str, str], Asset]] = {}
    failed: dict[str, list[Problem]] = {}
    for key, uses in refs_by_key.items():
        manifest = manifests[key]
        for story, ref in uses:
            if "error" in manifest:
                failed.setdefault(story.source_path, []).append(
                    Problem(
                        story.source_path, ref.line, ref.field, f"“{ref.name}”{manifest['error']}"
                    )
                )
                continue
            assets.setdefault(story.source_path, {})[(ref.field, ref.name)] = asset_from(manifest)
            keys.setdefault(story.source_path, set()).add(key)
            for name in manifest["files"]:
                outputs.setdefault(story.source_path, {})[urls.media(name)] = cache.files_dir / name
    # Only the files of stories whose media were all made: the others will not be published.
    for source_path in failed:
        assets.pop(source_path, None)
        outputs.pop(source_path, None)
        keys.pop(source_path, None)
    published = {uri: path for files in outputs.values() for uri, path in files.items()}
    member_photos: dict[str, str] = {}
    photo_failures: list[Problem] = []
    for member, ref, key in photo_keys:
        manifest = manifests[key]
        if "error" in manifest:
            message = f"“{ref.name}”{manifest['error']}"
            photo_failures.append(Problem(member.source_path, ref.line, ref.field, message))
            continue
        url = urls.member_photo(member.id)
        published[url] = cache.files_dir / _member_jpeg(manifest)
        member_photos[member.id] = url
    publication = MediaPublication(
        published,
        cache.stats,
        {source_path: StoryAssets(found) for source_path, found in assets.items()},
        {source_path: tuple(problems) for source_path, problems in sorted(failed.items())},
        member_photos,
        tuple(photo_failures),
        story_files={path: tuple(sorted(files)) for path, files in outputs.items()},
        story_keys={path: tuple(sorted(found)) for path, found in keys.items()},
        member_keys=tuple(sorted({key for _member, _ref, key in photo_keys})),
    )
    stats = cache.stats
    log.info(
        f"媒体文件：{stats.sources} 个；读取 {stats.read} 个，新生成 {stats.encoded} 组，"
        f"沿用缓存 {stats.reused} 组" + (f"，失败 {stats.failed} 个" if stats.failed else "")
    )
    cache.stats = CacheStats()  # the next build (under `mkdocs serve`) counts afresh
    return publication


MEMBER_PHOTO_WIDTH = 480


def _member_jpeg(manifest: dict[str, Any]) -> str:
    """The name of an image's JPEG variant 480 px wide, or its widest when it is narrower
    (variants are never upscaled); the thumbnail widths below 480 are too small for it."""
    jpegs = sorted(
        (v for v in manifest["variants"] if v["format"] == "jpeg"), key=lambda v: v["width"]
    )
    fitting = [v for v in jpegs if v["width"] <= MEMBER_PHOTO_WIDTH]
    return str((fitting or jpegs)[-1]["name"])


def _publish_subtitles(
    ref: MediaRef, key: str, cache: MediaCache, settings: MediaSettings
) -> dict[str, Any]:
    try:
        text = read_webvtt(ref.path, settings.max_subtitles_bytes)
    except MediaError as error:
        return {"error": error.message}
    except OSError as error:  # removed or made unreadable since the check
        return {"error": f"无法读取（{error.strerror}）；请检查文件权限"}
    name = f"{key[:16]}.vtt"
    atomic_write_bytes(cache.files_dir / name, text.encode("utf-8"))
    manifest = {"kind": "subtitles", "file": name, "files": [name]}
    cache.save_entry(key, manifest)
    return manifest


def _run_jobs(
    jobs: dict[str, Job], cache: MediaCache, workers: int | None, stream: TextIO | None
) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    if not jobs:
        return results
    # The longest first: videos, then images.
    ordered = sorted(jobs.items(), key=lambda item: not isinstance(item[1], VideoJob | AudioJob))
    count = min(workers or default_workers(), len(ordered))
    progress = Progress(len(ordered), "处理照片和视频", stream)

    def finish(key: str, manifest: dict[str, Any]) -> None:
        results[key] = manifest
        if "error" in manifest:
            cache.stats.failed += 1
        else:
            cache.save_entry(key, manifest)
            cache.stats.encoded += 1
        progress.advance()

    try:
        if count <= 1:
            for key, job in ordered:
                finish(key, run_job(job))
            return results
        left = _run_pool(ordered, count, finish)
        # A worker that died (a crash in a decoder) breaks the whole pool: run what was left
        # one by one, each in its own process, so only the file to blame fails.
        for key, job in left:
            left_again = _run_pool([(key, job)], 1, finish)
            for lost_key, _ in left_again:
                finish(lost_key, {"error": "处理时程序崩溃；文件可能已损坏，请重新导出"})
    finally:
        progress.close()
    return results


def _run_pool(
    ordered: Iterable[tuple[str, Job]],
    count: int,
    finish: Callable[[str, dict[str, Any]], None],
) -> list[tuple[str, Job]]:
    """Run the jobs in `count` processes; returns the jobs lost to a broken pool."""
    ordered = list(ordered)
    lost: list[tuple[str, Job]] = []
    # A spawned worker starts with this process's sys.path and must import this package;
    # MkDocs takes hooks/ off sys.path again once the hook file is loaded.
    package_parent = str(Path(__file__).resolve().parents[2])
    if package_parent not in sys.path:
        sys.path.append(package_parent)
    # Spawned, not forked: `mkdocs serve` runs threads, and a forked child can inherit a lock
    # some thread held.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        futures: dict[Future[dict[str, Any]], tuple[str, Job]] = {
            pool.submit(run_job, job): (key, job) for key, job in ordered
        }
        for future in as_completed(futures):
            key, job = futures[future]
            try:
                manifest = future.result()
            except BrokenProcessPool:
                lost.append((key, job))
                continue
            finish(key, manifest)
    return lost


def asset_from(manifest: dict[str, Any]) -> Asset:
    kind = manifest["kind"]
    if kind == "image":
        variants = tuple(
            Variant(urls.media(v["name"]), v["width"], v["height"], v["format"])
            for v in manifest["variants"]
        )
        largest = max(variants, key=lambda v: v.width)
        return ImageAsset(largest.width, largest.height, variants)
    if kind == "video":
        return VideoAsset(
            urls.media(manifest["file"]),
            manifest["width"],
            manifest["height"],
            manifest["duration"],
            urls.media(manifest["poster"]),
        )
    if kind == "audio":
        return AudioAsset(urls.media(manifest["file"]), manifest["duration"])
    return SubtitlesAsset(urls.media(manifest["file"]))
