"""When each talk, member and story title took its current form, and when each story was
added to the site, read from the git history.

Why a moment from history: a calendar app that imported an event takes a new version of it
only when its SEQUENCE is higher (RFC 5545, 3.8.7.4). A hash of the content changes but does
not grow; a counter kept between builds is state the site does not have (every build starts
from the sources). The moment an entry last changed in the repository's history has both
properties: it is the same on every checkout of a commit, so builds stay byte-identical, and
it only moves forward when the entry changes. An entry is a talk (by `id`, in any schedule
file: moving a talk between files is no change), the fields of a member a calendar shows, or
a story's title; so editing one talk leaves every other talk's moment alone.

History is read along the first parents (the line a deploy builds from), with committer
times, so a merged branch's change counts from when it was merged. An entry that differs
from the last commit (edited, not committed yet) takes its file's modification time: later
than every commit before it, and the same on every rebuild while the file is untouched.
Without git or outside a repository there is no history: no moments, and the calendars
fall back to a fixed stamp and SEQUENCE 0 (feeds/base.py). A shallow clone's history starts at
its oldest commit, which then looks as if it added everything: moments come out too late
(never too early), so a deploy should build from a full clone (README, 部署).

A story's *added* moment (the home page's 最新作品) is the first commit, along the same first
parents, that put any file into its folder; a folder no commit has yet counts from its
index.md's modification time, the moment it was written here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

log = logging.getLogger("mkdocs.plugins.huatuopin")

# A file (its path from the repository's top, its content) → each entry's key → a
# fingerprint of what the calendars show of it.
EntryReader = Callable[[str, bytes], Mapping[str, str]]
_NO_BLOB = "0" * 40
_GIT_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Moments:
    """The moment (UTC, whole seconds) each entry took its current form."""

    at: Mapping[str, dt.datetime] = field(default_factory=dict)

    def get(self, key: str) -> dt.datetime | None:
        return self.at.get(key)


@dataclass
class SourceHistory:
    """The git repository holding the project, if there is one, read on demand."""

    top: Path | None  # the work tree's top folder; None: no history
    _blobs: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def of(cls, project_root: Path) -> SourceHistory:
        git = shutil.which("git")
        if git is None:
            return cls(None)
        found = _git(project_root, "rev-parse", "--show-toplevel", "--is-shallow-repository")
        if found is None:
            return cls(None)
        top, shallow = [*found.splitlines(), "", ""][:2]
        if shallow.strip() == "true":
            log.info(
                "这是浅克隆（shallow clone）：日历的 SEQUENCE 和 DTSTAMP 会偏晚；"
                "发布时请用完整的 git 历史构建（git fetch --unshallow）"
            )
        return cls(Path(top.strip()))

    def moments(self, files: Iterable[Path], watched: Iterable[Path], read: EntryReader) -> Moments:
        """When each entry now in `files` took its current form.

        `watched` are the files and folders that ever held such entries (a talk may have
        moved from a file that is gone); `read` gives one file's entries.
        """
        if self.top is None:
            return Moments()
        top = self.top
        specs = [_relative(path, top) for path in watched]
        specs = [spec for spec in specs if spec is not None]
        commits = self._log(specs) if specs else []
        if commits is None:
            return Moments()
        self._fetch({sha for _time, changes in commits for sha in changes.values()})
        parsed: dict[tuple[str, str], Mapping[str, str]] = {}

        def entries_of(path: str, sha: str) -> Mapping[str, str]:
            if (path, sha) not in parsed:
                parsed[path, sha] = _safe_read(read, path, self._blobs.get(sha, b""))
            return parsed[path, sha]

        tree: dict[str, str] = {}  # path → blob, at the commit being walked
        last: dict[str, str] = {}  # key → fingerprint at that commit
        since: dict[str, dt.datetime] = {}
        for moment, changes in commits:
            for path, sha in changes.items():
                if sha == _NO_BLOB:
                    tree.pop(path, None)
                else:
                    tree[path] = sha
            now = _union(entries_of(path, tree[path]) for path in sorted(tree))
            for key, print_ in now.items():
                if last.get(key) != print_:
                    since[key] = moment
            since = {key: since[key] for key in now}
            last = now
        result: dict[str, dt.datetime] = {}
        for path in sorted(files):
            rel = _relative(path, top) or path.as_posix()
            try:
                content = path.read_bytes()
            except OSError:
                continue
            sha = _blob_sha(content)
            if tree.get(rel) == sha:
                entries = entries_of(rel, sha)
            else:
                entries = _safe_read(read, rel, content)
            for key, print_ in entries.items():
                if key in result:
                    continue
                if last.get(key) == print_ and key in since:
                    result[key] = since[key]
                else:
                    result[key] = _modified(path)
        return Moments(result)

    def added(self, folder: Path, index_files: Iterable[Path]) -> Moments:
        """When each story folder under `folder` (by name) was first committed; each
        `index_files` whose folder no commit has yet counts from its modification time."""
        if self.top is None:
            return Moments()
        spec = _relative(folder, self.top)
        commits = self._log([spec]) if spec is not None else None
        if commits is None:
            return Moments()
        prefix = f"{spec}/" if spec else ""
        first: dict[str, dt.datetime] = {}
        for moment, changes in commits:
            for path, sha in changes.items():
                name = path.removeprefix(prefix).split("/", 1)[0]
                if sha != _NO_BLOB and "/" in path.removeprefix(prefix):
                    first.setdefault(name, moment)
        result: dict[str, dt.datetime] = {}
        for index in sorted(index_files):
            name = index.parent.name
            if name in first:
                result[name] = first[name]
            else:
                try:
                    result[name] = _modified(index)
                except OSError:
                    continue
        return Moments(result)

    def _log(self, specs: list[str]) -> list[tuple[dt.datetime, dict[str, str]]] | None:
        """Oldest first: each first-parent commit touching `specs`, its time and its changes
        (path → new blob; `_NO_BLOB` for a deleted file)."""
        assert self.top is not None
        out = _git(
            self.top,
            "-c",
            "core.quotePath=false",
            "log",
            "--first-parent",
            "--diff-merges=first-parent",
            "--reverse",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--format=%x01%ct",
            "--",
            *specs,
        )
        if out is None:
            return None
        commits = []
        for chunk in out.split("\x01")[1:]:
            lines = chunk.splitlines()
            moment = dt.datetime.fromtimestamp(int(lines[0]), dt.UTC)
            changes: dict[str, str] = {}
            for line in lines[1:]:
                if not line.startswith(":") or "\t" not in line:
                    continue
                meta, path = line.split("\t", 1)
                changes[path] = meta.split()[3]
            commits.append((moment, changes))
        return commits

    def _fetch(self, shas: set[str]) -> None:
        """Every blob not read yet, in one `git cat-file --batch`."""
        assert self.top is not None
        wanted = sorted(sha for sha in shas if sha != _NO_BLOB and sha not in self._blobs)
        if not wanted:
            return
        try:
            done = subprocess.run(
                ["git", "-C", str(self.top), "cat-file", "--batch"],
                input="".join(f"{sha}\n" for sha in wanted).encode(),
                capture_output=True,
                check=True,
                timeout=_GIT_TIMEOUT_SECONDS,
            )
        except (OSError, subprocess.SubprocessError):
            return
        out, position = done.stdout, 0
        for sha in wanted:
            end = out.find(b"\n", position)
            if end < 0:
                return
            header = out[position:end].split()
            position = end + 1
            if len(header) < 3:  # "<sha> missing"
                continue
            size = int(header[2])
            self._blobs[sha] = out[position : position + size]
            position += size + 1


# -- when stories were added ---------------------------------------------------------------

_told_no_history = False


def stories_added(
    project_root: Path, stories_dir: Path, index_files: Iterable[Path]
) -> Mapping[str, dt.datetime]:
    """Story folder name → when it was added to the site; empty without git history, which
    the build log says once (the home page then orders stories by their own date)."""
    global _told_no_history
    added = SourceHistory.of(project_root).added(stories_dir, index_files).at
    if not added and not _told_no_history:
        _told_no_history = True
        log.info("没有 git 历史：首页的“最新作品”按稿件自己的 date 排列，而不是加入网站的时间")
    return added


# -- what the calendars show of each kind of source ---------------------------------------


def list_entries(fields: tuple[str, ...] | None = None) -> EntryReader:
    """A YAML list of mappings with an `id` (members.yml, schedule files): each item by its
    id, fingerprinted on `fields` (None: all). Read as text (YAML's base schema), so quoting
    `"09:30"` or not is no change."""

    def read(_path: str, content: bytes) -> Mapping[str, str]:
        items = yaml.load(content, Loader=_TEXT_LOADER)
        entries: dict[str, str] = {}
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            shown = item if fields is None else {k: item.get(k) for k in fields}
            entries.setdefault(item["id"], _fingerprint(shown))
        return entries

    return read


def front_matter_title() -> EntryReader:
    """A story's `index.md`: its title, under the story's folder name."""

    def read(path: str, content: bytes) -> Mapping[str, str]:
        key = path.rsplit("/", 2)[-2] if path.count("/") else path
        text = content.decode("utf-8")
        if not text.startswith("---"):
            return {}
        head = text.split("\n---", 1)[0].removeprefix("---")
        data = yaml.load(head, Loader=_TEXT_LOADER)
        title = data.get("title") if isinstance(data, dict) else None
        return {key: _fingerprint(title)} if isinstance(title, str) else {}

    return read


# -- helpers --------------------------------------------------------------------------------

_TEXT_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def _fingerprint(value: object) -> str:
    return repr(value)


def _safe_read(read: EntryReader, path: str, content: bytes) -> Mapping[str, str]:
    """A file that does not parse holds no entries we can compare: an old broken commit, or
    a file whose problems the build reports anyway."""
    try:
        return read(path, content)
    except (yaml.YAMLError, UnicodeDecodeError, ValueError):
        return {}


def _union(parts: Iterable[Mapping[str, str]]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for part in parts:
        for key, value in part.items():
            merged.setdefault(key, value)
    return merged


def _blob_sha(content: bytes) -> str:
    """The id git gives these bytes (`git hash-object`), to tell an edited file from HEAD's."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def _modified(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(path.stat().st_mtime), dt.UTC)


def _relative(path: Path, top: Path) -> str | None:
    try:
        return path.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        return None


def _git(where: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(where), *args],
            capture_output=True,
            check=True,
            timeout=_GIT_TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "replace")
