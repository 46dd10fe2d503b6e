"""Stories already read and checked, found again by content: a story whose file and folder
have not changed is neither parsed nor checked a second time.

At 50,000 stories reading and checking every index.md is a large share of a build, and
`make serve` would do it after every edit. A story's result (`stories.load_story`: its record,
problems and hints) depends only on what the key holds:

- the code that reads it (every file of this package, the parser's version) and the settings;
- its absolute path (a result names its media files by where they are), the bytes of its
  index.md, and every entry of its folder with its kind (a media
  reference is checked for existence, for being a file and for staying inside the folder).

So the result is kept under a digest of those: in memory for the life of the process (a
preview's rebuilds) and on disk in `stories/` of the project's cache folder (`extra.cache_dir`,
next to `media/`), so that a later build, or another machine that keeps the folder, reads it
back. Media are not part of it: their probes have their own cache (media/check.py).
Writes are atomic (temp file + rename); an unreadable entry is read again from the story.
The cache is the project's own, as trusted as the code; entries are pickles.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from .media.cache import atomic_write_bytes, project_cache_root
from .settings import CampaignSettings
from .stories import StoryResult, find_story_sources

STORIES_PART = "stories"
# A file written less than this before it was hashed may be written again with the same size
# and time stamp (file systems keep coarse times): it is hashed again on the next pass.
RACY_NS = 2_000_000_000
PACKAGE = Path(__file__).resolve().parent


@cache
def code_version() -> str:
    """Every file of this package (code and data) and the parser: a change reads all again."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{platform.python_version()} {yaml.__version__}".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def folder_entries(folder: Path | str) -> list[str]:
    """Every entry under a story's folder with its kind (a link with where it points).
    Walked with a stack, not recursion: a contributor's folder may nest arbitrarily deep."""
    entries: list[str] = []
    pending = [("", str(folder))]
    while pending:
        prefix, path = pending.pop()
        with os.scandir(path) as found:
            for entry in sorted(found, key=lambda entry: entry.name, reverse=True):
                name = prefix + entry.name
                if entry.is_symlink():
                    entries.append(f"L {name} -> {os.readlink(entry.path)}")
                elif entry.is_dir():
                    entries.append(f"D {name}")
                    pending.append((name + "/", entry.path))
                else:
                    entries.append(f"F {name}")
    return entries


@dataclass
class StoryReads:
    """One project's cache of story results (cache folder → this object, per process)."""

    folder: Path
    settings_key: str
    memory: dict[str, StoryResult] = field(default_factory=dict)
    # A file's stat when it was last hashed → (its folder's entries then, the key, when).
    seen: dict[tuple[str, int, int, int, int], tuple[str, str, int]] = field(default_factory=dict)
    read: int = 0  # stories parsed and checked in the last pass
    reused: int = 0

    def key(self, project_root: Path, index_path: Path) -> str | None:
        try:
            entries = "\n".join(folder_entries(index_path.parent))
            stat = index_path.stat()
        except OSError:
            return None  # load_story reports it
        # Unchanged since the last pass of this process (a preview's rebuild): not read again,
        # unless it was written too close to when it was read for its time stamp to tell a
        # later write of the same size apart (git's "racily clean" files).
        seen = (str(index_path), stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)
        known = self.seen.get(seen)
        if known is not None and known[0] == entries and known[2] - stat.st_mtime_ns > RACY_NS:
            return known[1]
        hashed_at = time.time_ns()
        try:
            text = index_path.read_bytes()
        except OSError:
            return None
        digest = hashlib.blake2b(digest_size=20)
        for part in (
            code_version(),
            self.settings_key,
            # Absolute: a result names its media files by their place on this machine.
            str(index_path.resolve()),
            entries,
        ):
            digest.update(part.encode("utf-8", "surrogateescape"))
            digest.update(b"\0")
        digest.update(text)
        key = digest.hexdigest()
        self.seen[seen] = (entries, key, hashed_at)
        return key

    def load(
        self, project_root: Path, index_path: Path, load: Callable[[], StoryResult]
    ) -> StoryResult:
        key = self.key(project_root, index_path)
        if key is None:
            self.read += 1
            return load()
        found = self.memory.get(key) or self._from_disk(key)
        if found is not None:
            self.reused += 1
            self.memory[key] = found
            return found
        self.read += 1
        result = load()
        self.memory[key] = result
        self._to_disk(key, result)
        return result

    def start_pass(self) -> None:
        self.read = self.reused = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def _from_disk(self, key: str) -> StoryResult | None:
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        try:
            result = pickle.loads(data)
        except Exception:  # a damaged entry: read the story again and write it anew
            return None
        return result if isinstance(result, StoryResult) else None

    def _to_disk(self, key: str, result: StoryResult) -> None:
        with contextlib.suppress(OSError):  # a read-only or full cache only costs speed
            atomic_write_bytes(self._path(key), pickle.dumps(result, pickle.HIGHEST_PROTOCOL))


@dataclass(frozen=True)
class StoryCachePrune:
    folder: Path
    removed: int
    kept: int


def prune_story_cache(
    project_root: Path,
    docs_dir: Path,
    settings: CampaignSettings,
    *,
    dry_run: bool,
    everything: bool,
) -> StoryCachePrune:
    """Remove the entries no story of the project has now (`everything`: every entry): what an
    edited or deleted story, or a change of code or settings, left behind."""
    reads = story_reads(project_root, settings)
    story_paths, _ = find_story_sources(project_root, docs_dir)
    current = set() if everything else {reads.key(project_root, path) for path in story_paths}
    removed = kept = 0
    for entry in sorted(reads.folder.glob("*/*.pickle")) if reads.folder.is_dir() else []:
        if entry.stem in current:
            kept += 1
            continue
        removed += 1
        if not dry_run:
            entry.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # other entries are still in it
                entry.parent.rmdir()
    return StoryCachePrune(reads.folder, removed, kept)


_READS: dict[tuple[Path, str], StoryReads] = {}


def story_reads(project_root: Path, settings: CampaignSettings) -> StoryReads:
    folder = project_cache_root(project_root, settings.cache_dir).resolve() / STORIES_PART
    settings_key = repr(settings)
    reads = _READS.get((folder, settings_key))
    if reads is None:
        reads = _READS[(folder, settings_key)] = StoryReads(folder, settings_key)
    reads.start_pass()
    return reads


def forget_story_reads() -> None:
    """Drop the results kept in memory (those on disk stay): a build that will not read its
    stories again lets them go before its search index is made."""
    _READS.clear()


__all__ = [
    "StoryCachePrune",
    "StoryReads",
    "code_version",
    "folder_entries",
    "forget_story_reads",
    "prune_story_cache",
    "story_reads",
]
