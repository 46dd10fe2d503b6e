"""The content-addressed media cache in `.cache/media/`, outside docs/.

- `sources/<xx>/<hash of path>.json`: what we know about one source file (its size and
  mtime when last read, its SHA-256 and what the probe found). A source whose size and
  mtime still match is not read again, not even to hash it.
- `entries/<key>.json`: the derived files made for one key, where the key is the source's
  SHA-256 plus the pipeline's settings. An entry exists only once all its files do.
- `files/<name>`: the derived files, named `<digest>-<width>.webp` and so on; MkDocs copies
  them into `site/media/`.

Every write goes to a temporary file in the same folder and is renamed into place, so an
interrupted build never leaves a half-written entry; several builds may share the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CACHE_DIR = Path(".cache") / "media"
# Bump when what the probe records changes: every source is then probed again.
# 4: durations measured from the streams, stream indexes, video pixel sizes.
PROBE_VERSION = 4
READ_CHUNK = 1024 * 1024


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
class MediaCache:
    root: Path
    stats: CacheStats = field(default_factory=CacheStats)

    @classmethod
    def for_project(cls, project_root: Path) -> MediaCache:
        return cls(project_root / CACHE_DIR)

    @property
    def files_dir(self) -> Path:
        return self.root / "files"

    # -- sources ----------------------------------------------------------------------------

    def _source_path(self, path: Path) -> Path:
        digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()
        return self.root / "sources" / digest[:2] / f"{digest}.json"

    def known_source(self, path: Path, size: int, mtime_ns: int) -> SourceRecord | None:
        """The record of `path` if it was read with this size and mtime, else None."""
        try:
            data = json.loads(self._source_path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if (
            not isinstance(data, dict)
            or data.get("probe_version") != PROBE_VERSION
            or data.get("size") != size
            or data.get("mtime_ns") != mtime_ns
        ):
            return None
        return SourceRecord(size, mtime_ns, str(data["sha256"]), dict(data["facts"]))

    def remember_source(self, path: Path, record: SourceRecord) -> None:
        atomic_write_json(
            self._source_path(path),
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
        try:
            data = json.loads(self._entry_path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or not all(
            (self.files_dir / name).is_file() for name in data.get("files", [])
        ):
            return None
        return data

    def save_entry(self, key: str, manifest: dict[str, Any]) -> None:
        atomic_write_json(self._entry_path(key), manifest)


def cache_key(sha256: str, signature: str) -> str:
    """The key of the derived files of a source: its content plus the pipeline's settings."""
    return hashlib.sha256(f"{sha256}\n{signature}".encode()).hexdigest()
