"""The content-addressed media cache, outside docs/: `media/` in the project's cache folder
(`.cache/` unless `extra.cache_dir` in mkdocs.yml or the HUATUOPIN_CACHE environment variable
says otherwise; HUATUOPIN_MEDIA_CACHE moves the media part alone: `cache_root`).

- `sources/<xx>/<hash of path>.json`: what we know about one source file (its size and
  mtime when last read, its SHA-256 and what the probe found). A source whose size and
  mtime still match is not read again, not even to hash it.
- `entries/<key>.json`: the derived files made for one key, where the key is the source's
  SHA-256 plus the pipeline's settings. An entry exists only once all its files do.
- `files/<name>`: the derived files, named `<digest>-<width>.webp` and so on; MkDocs copies
  them into `site/media/`.

Every write goes to a temporary file in the same folder and is renamed into place, so an
interrupted build never leaves a half-written entry. Several builds, of one project or of
several, may use one cache at the same time: derived files are named by content and settings,
so two builds that make the same file write the same bytes, each through its own temporary
file; the last rename wins and every reader sees a whole file. Source records are keyed by
the source's absolute path, so projects sharing a cache never read each other's records.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .settings import CACHE_DIR, MEDIA_PART

# Overrides `extra.cache_dir`: the project's whole cache folder, e.g. one that CI keeps
# between runs or several checkouts share.
PROJECT_CACHE_ENV = "HUATUOPIN_CACHE"
# Overrides where the media part is: one media cache for a whole test run.
CACHE_ENV = "HUATUOPIN_MEDIA_CACHE"
# What a cache folder holds; nothing else in it is ever removed (see `MediaCache.clear`).
CACHE_PARTS = ("sources", "entries", "files")
# Bump when what the probe records changes: every source is then probed again.
# 4: durations measured from the streams, stream indexes, video pixel sizes.
PROBE_VERSION = 4
READ_CHUNK = 1024 * 1024


def cache_root(project_root: Path, configured: str | None = None) -> Path:
    """Where a project's media cache is: $HUATUOPIN_MEDIA_CACHE, else `media/` in
    $HUATUOPIN_CACHE, else `configured` (`media/` in `extra.cache_dir`), else `.cache/media`;
    a relative path is taken from the project."""
    whole = os.environ.get(PROJECT_CACHE_ENV)
    chosen = (
        os.environ.get(CACHE_ENV)
        or (whole and str(Path(whole) / MEDIA_PART))
        or configured
        or str(CACHE_DIR)
    )
    return project_path(project_root, chosen)


def project_cache_root(project_root: Path, configured: str) -> Path:
    """The project's cache folder: $HUATUOPIN_CACHE, else `configured` (`extra.cache_dir`)."""
    return project_path(project_root, os.environ.get(PROJECT_CACHE_ENV) or configured)


def project_path(project_root: Path, chosen: str) -> Path:
    path = Path(chosen).expanduser()
    return path if path.is_absolute() else project_root / path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    atomic_write_bytes(path, text.encode("utf-8"))


def temporary_path(target: Path) -> Path:
    """A fresh name beside `target` for a tool (ffmpeg) that writes the file itself."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.stem}.", suffix=target.suffix
    )
    os.close(handle)
    return Path(name)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class CacheStats:
    sources: int = 0  # source files looked at
    read: int = 0  # of them, read (hashed and probed) because size or mtime changed
    encoded: int = 0  # derived-file jobs run (one job makes all variants of one source)
    reused: int = 0  # jobs whose files were already in the cache
    failed: int = 0


@dataclass
class SourceRecord:
    size: int
    mtime_ns: int
    sha256: str
    facts: dict[str, Any]


@dataclass
class PruneReport:
    """What `MediaCache.prune` removed and kept; sizes in bytes."""

    kept_entries: list[tuple[str, str]] = field(default_factory=list)  # (key, kind)
    kept_files: int = 0
    kept_bytes: int = 0
    kept_sources: list[str] = field(default_factory=list)  # source paths, as recorded
    removed_entries: list[tuple[str, str]] = field(default_factory=list)  # kind "" if damaged
    removed_files: list[str] = field(default_factory=list)  # names in files/
    removed_bytes: int = 0
    removed_sources: list[str] = field(default_factory=list)


# A temporary file this old belongs to a build that was stopped, not to one still writing it.
STALE_TEMPORARY_SECONDS = 3600


@dataclass
class MediaCache:
    root: Path
    stats: CacheStats = field(default_factory=CacheStats)

    @property
    def files_dir(self) -> Path:
        return self.root / "files"

    # -- sources ----------------------------------------------------------------------------

    def source_record_path(self, path: Path) -> Path:
        """Where the record of the source file `path` is kept."""
        digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()
        return self.root / "sources" / digest[:2] / f"{digest}.json"

    def known_source(self, path: Path, size: int, mtime_ns: int) -> SourceRecord | None:
        """The record of `path` if it was read with this size and mtime, else None."""
        data = _read_json(self.source_record_path(path))
        if (
            data is None
            or data.get("probe_version") != PROBE_VERSION
            or data.get("size") != size
            or data.get("mtime_ns") != mtime_ns
            or not isinstance(data.get("sha256"), str)
            or not isinstance(data.get("facts"), dict)
        ):
            return None  # a damaged record is read again, like a changed file
        return SourceRecord(size, mtime_ns, data["sha256"], dict(data["facts"]))

    def remember_source(self, path: Path, record: SourceRecord) -> None:
        atomic_write_json(
            self.source_record_path(path),
            {
                "path": str(path.resolve()),
                "probe_version": PROBE_VERSION,
                "size": record.size,
                "mtime_ns": record.mtime_ns,
                "sha256": record.sha256,
                "facts": record.facts,
            },
        )

    # -- derived files ----------------------------------------------------------------------

    def _entry_path(self, key: str) -> Path:
        return self.root / "entries" / f"{key}.json"

    def entry(self, key: str) -> dict[str, Any] | None:
        """The manifest of `key` when it and every file it names exist."""
        data = _read_json(self._entry_path(key))
        names = _file_names(data)
        if data is None or names is None:
            return None
        if not all((self.files_dir / name).is_file() for name in names):
            return None
        return data

    def save_entry(self, key: str, manifest: dict[str, Any]) -> None:
        atomic_write_json(self._entry_path(key), manifest)

    # -- upkeep -----------------------------------------------------------------------------

    def prune(
        self, keep_keys: set[str], keep_sources: set[Path], *, dry_run: bool = False
    ) -> PruneReport:
        """Remove every entry not in `keep_keys` with its files, every file no kept entry
        names, every source record of a file not in `keep_sources`, and temporary files left
        by stopped builds. With `dry_run`, only report what would go."""
        report = PruneReport()
        kept_names: set[str] = set()
        for path in sorted((self.root / "entries").glob("*.json")):
            key, manifest = path.stem, _read_json(path)
            names = _file_names(manifest)
            kind = str(manifest.get("kind", "")) if manifest and names is not None else ""
            if key in keep_keys and names is not None:
                report.kept_entries.append((key, kind))
                kept_names.update(names)
            else:
                report.removed_entries.append((key, kind))
                _remove(path, dry_run)
        for path in sorted(self.files_dir.glob("*")):
            if path.name.startswith("."):  # a temporary file of a build
                if _age_seconds(path) > STALE_TEMPORARY_SECONDS:
                    _remove(path, dry_run)
                continue
            size = path.stat().st_size
            if path.name in kept_names:
                report.kept_files += 1
                report.kept_bytes += size
            else:
                report.removed_files.append(path.name)
                report.removed_bytes += size
                _remove(path, dry_run)
        kept_records = {self.source_record_path(source) for source in keep_sources}
        for path in sorted((self.root / "sources").glob("*/*.json")):
            data = _read_json(path)
            recorded = str(data.get("path")) if data else path.name
            if path in kept_records:
                report.kept_sources.append(recorded)
            else:
                report.removed_sources.append(recorded)
                _remove(path, dry_run)
        for folder in (self.root / "entries", self.root / "sources"):
            for path in folder.glob("**/.*.tmp"):
                if _age_seconds(path) > STALE_TEMPORARY_SECONDS:
                    _remove(path, dry_run)
        if not dry_run:
            for folder in sorted((self.root / "sources").glob("*/"), reverse=True):
                with contextlib.suppress(OSError):  # still holds records
                    folder.rmdir()
        return report

    def drop(self, keys: set[str]) -> tuple[list[str], list[str]]:
        """Remove the entries of `keys` and the files they name that no other entry names (a
        withdrawn story's derived files: deploy/scrub.py); the keys and file names removed.

        Files first, entries last: stopped in between, an entry is left naming files that are
        gone, which `entry` already treats as no entry, and the next drop finds the rest."""
        entries = {key: self._entry_path(key) for key in sorted(keys)}
        entries = {key: path for key, path in entries.items() if path.is_file()}
        names: set[str] = set()
        for path in entries.values():
            names.update(_file_names(_read_json(path)) or ())
        dropping = set(entries.values())
        for path in (self.root / "entries").glob("*.json"):
            if path not in dropping:
                names.difference_update(_file_names(_read_json(path)) or ())
        removed = sorted(name for name in names if (self.files_dir / name).is_file())
        for name in removed:
            (self.files_dir / name).unlink(missing_ok=True)
        for path in entries.values():
            path.unlink(missing_ok=True)
        return list(entries), removed

    def clear(self) -> None:
        """Remove everything the cache holds; files of anyone else in its folder stay."""
        for part in CACHE_PARTS:
            shutil.rmtree(self.root / part, ignore_errors=True)
        with contextlib.suppress(OSError):  # not empty: something else lives there
            self.root.rmdir()


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _file_names(manifest: dict[str, Any] | None) -> list[str] | None:
    """The derived files a manifest names, or None when it is damaged: a name is a plain file
    name, never a path, so a damaged entry can neither publish nor remove anything else."""
    if manifest is None:
        return None
    names = manifest.get("files", [])
    if not isinstance(names, list) or not all(
        isinstance(name, str) and name and name == Path(name).name and not name.startswith(".")
        for name in names
    ):
        return None
    return names


def _remove(path: Path, dry_run: bool) -> None:
    if not dry_run:
        path.unlink(missing_ok=True)


def _age_seconds(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def cache_key(sha256: str, signature: str) -> str:
    """The key of the derived files of a source: its content plus the pipeline's settings."""
    return hashlib.sha256(f"{sha256}\n{signature}".encode()).hexdigest()
