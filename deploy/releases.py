"""Release folders under a destination, and the `current` symlink that says which one is live.

    <dest>/releases/20261201T044100Z-b7d0271/   one complete site per deploy, never changed
                                                but by a takedown (deploy/scrub.py)
    <dest>/releases/.incoming-…/               a release being made (removed if it fails)
    <dest>/current -> releases/<name>           what the web server serves

A release is made in full (built, compressed) in a hidden folder inside `releases/`, renamed
to its final name (the same filesystem, so the rename is atomic), and only then made live by
replacing `current` with a new symlink (`os.replace`, atomic): a reader gets either the old
site or the new one, never a mix, and a failed or interrupted deploy leaves `current` as it
was. Release names start with the UTC time, so their order is the order they were made.
One deploy or rollback at a time per destination (a lock file), so a folder left behind by a
killed run can be recognised and removed by the next.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from huatuopin import urls
from huatuopin.media.cache import MediaCache

from deploy.facts import FactsError, ReleaseFacts, read_facts, vanished
from deploy.precompress import Compressed, precompress
from deploy.scrub import Scrubbed, scrub

RELEASES = "releases"
CURRENT = "current"
KEEP = 5
INCOMING_PREFIX = ".incoming-"
LOCK_NAME = ".deploy.lock"
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
RELEASE_NAME = re.compile(r"^(?P<stamp>\d{8}T\d{6}Z)-[0-9a-z][0-9a-z-]*$")
# Beyond this the clock is not merely in the same second as the last release: it went back.
CLOCK_SLACK_SECONDS = 5


class ReleaseError(Exception):
    """Why a deploy or rollback did nothing, in one Chinese sentence for the maintainer."""


@dataclass(frozen=True)
class Release:
    name: str
    path: Path

    @property
    def made(self) -> datetime:
        match = RELEASE_NAME.match(self.name)
        assert match is not None
        return datetime.strptime(match["stamp"], STAMP_FORMAT).replace(tzinfo=UTC)


@dataclass(frozen=True)
class Deployed:
    """What a deploy did, for its report."""

    release: Release
    previous: Release | None
    files: int
    bytes: int
    compressed: Compressed
    removed: tuple[str, ...]
    facts: ReleaseFacts | None = None  # the new release's (None: built without them)
    # Whether the live release's URLs were checked: a release made before releases carried
    # facts cannot be.
    checked: bool = False
    scrubbed: Scrubbed = field(default_factory=Scrubbed)
    # The redirect map differs from the one of the release that was live: nginx reads it only
    # when it (re)loads.
    map_changed: bool = False


class Destination:
    """A deploy destination: `releases/` and `current` under `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.releases_dir = root / RELEASES
        self.current = root / CURRENT

    def releases(self) -> list[Release]:
        """Every complete release, oldest first."""
        if not self.releases_dir.is_dir():
            return []
        return sorted(
            (
                Release(entry.name, entry)
                for entry in self.releases_dir.iterdir()
                if RELEASE_NAME.match(entry.name) and entry.is_dir() and not entry.is_symlink()
            ),
            key=lambda release: release.name,
        )

    def live(self) -> Release | None:
        """The release `current` points to; None before the first deploy."""
        if not self.current.is_symlink():
            if self.current.exists():
                raise ReleaseError(
                    f"{self.current} 不是符号链接（可能是手工复制的网站）；"
                    "请把它移走，再发布：发布会让 current 指向 releases/ 里的一个版本。"
                )
            return None
        target = Path(os.readlink(self.current))
        if not target.is_absolute():
            target = self.root / target
        for release in self.releases():
            if release.path.resolve() == target.resolve():
                return release
        raise ReleaseError(
            f"{self.current} 指向 {os.readlink(self.current)}，不是 releases/ 里的版本；"
            "请检查后手工把它改回某个版本（ln -sfn releases/<版本> current）。"
        )

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """One deploy or rollback at a time; what a killed run left behind is removed here."""
        self.releases_dir.mkdir(parents=True, exist_ok=True)
        with (self.root / LOCK_NAME).open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise ReleaseError(
                    f"{self.root} 正在发布或回退（另一个 make deploy 或 make rollback 还在运行）；"
                    "请等它结束再试。"
                ) from None
            self._remove_leftovers()
            yield

    def _remove_leftovers(self) -> None:
        # Under the lock nobody else is making a release, so these are from a killed run.
        for entry in self.releases_dir.iterdir():
            if entry.name.startswith(INCOMING_PREFIX):
                shutil.rmtree(entry, ignore_errors=True)
        for entry in self.root.iterdir():
            if entry.name.startswith(f".{CURRENT}-") and entry.is_symlink():
                entry.unlink()

    def switch(self, release: Release) -> None:
        """Make `release` live: a new symlink under a temporary name replaces `current`."""
        temporary = self.root / f".{CURRENT}-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        # Relative, so the destination folder can be moved or mounted elsewhere.
        os.symlink(Path(RELEASES) / release.name, temporary)
        os.replace(temporary, self.current)
        _sync_folder(self.root)


def deploy(
    destination: Destination,
    fill: Callable[[Path], None],
    commit: str,
    *,
    keep: int = KEEP,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    cache: MediaCache | None = None,
) -> Deployed:
    """Make a release with `fill(folder)` (a build, or a copy of a built site), compress it,
    name it `<UTC time>-<commit>`, make it live and keep the newest `keep` releases; then take
    the stories it withdraws out of every other kept release and out of `cache` (scrub.py).

    If `fill` or the compression fails, a story URL of the live release is in the new one
    neither a story, a withdrawal nor a redirect, or the run is interrupted, the half-made
    release is removed and the exception goes on; `current` is not touched.
    """
    with destination.locked():
        previous = destination.live()
        previous_facts = _facts(previous.path) if previous is not None else None
        incoming = Path(tempfile.mkdtemp(prefix=INCOMING_PREFIX, dir=destination.releases_dir))
        try:
            incoming.chmod(0o755)  # mkdtemp's 0700 would keep a web server's workers out
            fill(incoming)
            facts = _facts(incoming)
            if previous_facts is not None:
                _refuse_vanished(previous_facts, facts)
            _check_redirect_map(incoming)
            files, size = _count(incoming)
            compressed = precompress(incoming)
            name = f"{_stamp(destination, clock)}-{commit}"
            final = destination.releases_dir / name
            incoming.rename(final)
        except BaseException:
            shutil.rmtree(incoming, ignore_errors=True)
            raise
        release = Release(name, final)
        try:
            destination.switch(release)
        except BaseException:
            shutil.rmtree(final, ignore_errors=True)
            raise
        removed = prune(destination, keep)
        others = [kept.path for kept in destination.releases() if kept.name != release.name]
        try:
            scrubbed = scrub(final, facts, others, cache) if facts is not None else Scrubbed()
        except OSError as error:
            raise ReleaseError(
                f"新版本 {release.name} 已经发布，但从旧版本里删除撤下的稿件时出错"
                f"（{error}）；请解决后再运行一次 make deploy，它会接着删除。"
            ) from error
        return Deployed(
            release,
            previous,
            files,
            size,
            compressed,
            removed,
            facts,
            checked=previous_facts is not None,
            scrubbed=scrubbed,
            map_changed=redirect_map(previous) != redirect_map(release),
        )


def _facts(folder: Path) -> ReleaseFacts | None:
    try:
        return read_facts(folder)
    except FactsError as error:
        raise ReleaseError(str(error)) from error


def _refuse_vanished(live: ReleaseFacts, new: ReleaseFacts | None) -> None:
    missing = vanished(live, new)
    if missing:
        raise ReleaseError(
            f"线上版本的这些稿件地址在新版本里没有了：{'、'.join(missing)}。"
            "读者手里的链接会打不开。改了稿件文件夹名的，请在 redirects.yml 里加一条从旧地址"
            "到新地址的跳转；要撤下的，请在稿件里写上 withdrawn:（make takedown）。"
            "没有发布新版本，线上版本没有改动。"
        )


# One `"/old/" "/new/";` per line, nothing nginx would read as more than two strings: the map
# is included into nginx's configuration, and a line it cannot parse would stop its reload.
# Within site.conf.in's map_hash_bucket_size (256), with room for nginx's own bytes.
MAP_KEY_MAX_BYTES = 200
MAP_LINE = re.compile(r'"/[^"\\$;{}\s]+" "/[^"\\$;{}\s]*";')


def _check_redirect_map(folder: Path) -> None:
    path = folder / urls.REDIRECTS_MAP
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return
    except (OSError, UnicodeDecodeError) as error:
        raise ReleaseError(
            f"跳转表 {urls.REDIRECTS_MAP} 读不出来（{error}）；没有发布。"
        ) from error
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line.startswith("#") or not line:
            continue
        if not MAP_LINE.fullmatch(line) or len(line.split('" "')[0].encode()) > MAP_KEY_MAX_BYTES:
            raise ReleaseError(
                f"跳转表 {urls.REDIRECTS_MAP} 第 {number} 行“{line[:80]}”nginx 读不了；"
                "请检查 redirects.yml 后重新发布。没有发布新版本，线上版本没有改动。"
            )


def redirect_map(release: Release | None) -> bytes:
    """The release's nginx map of moved story URLs; empty when it has none."""
    if release is None:
        return b""
    try:
        return (release.path / urls.REDIRECTS_MAP).read_bytes()
    except FileNotFoundError:
        return b""


def rollback(destination: Destination) -> tuple[Release, Release]:
    """Make the release before the live one live; (the one that was live, the one now live)."""
    with destination.locked():
        live = destination.live()
        if live is None:
            raise ReleaseError(f"{destination.root} 还没有发布过任何版本，无法回退。")
        older = [release for release in destination.releases() if release.name < live.name]
        if not older:
            raise ReleaseError(
                f"线上版本 {live.name} 已是保留的最早版本，没有更早的版本可以回退；"
                "current 没有改动。"
            )
        destination.switch(older[-1])
        return live, older[-1]


def prune(destination: Destination, keep: int) -> tuple[str, ...]:
    """Remove all but the newest `keep` releases, never the live one; the names removed."""
    live = destination.live()
    releases = destination.releases()
    kept = {release.name for release in releases[-keep:]}
    if live is not None:
        kept.add(live.name)
    removed = []
    for release in releases:
        if release.name not in kept:
            shutil.rmtree(release.path)
            removed.append(release.name)
    return tuple(removed)


def _stamp(destination: Destination, clock: Callable[[], datetime]) -> str:
    """The new release's time, later than every release's: within the second of the last
    deploy, wait for the next second, so names sort in the order releases were made."""
    newest = max((release.made for release in destination.releases()), default=None)
    while True:
        now = clock().astimezone(UTC).replace(microsecond=0)
        if newest is None or now > newest:
            return now.strftime(STAMP_FORMAT)
        if (newest - now).total_seconds() > CLOCK_SLACK_SECONDS:
            raise ReleaseError(
                f"系统时间 {now:%Y-%m-%d %H:%M:%S} UTC 早于最新版本的时间 "
                f"{newest:%Y-%m-%d %H:%M:%S} UTC；请先校正服务器时间再发布。"
            )
        time.sleep(0.1)


def _count(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def _sync_folder(folder: Path) -> None:
    """Write the folder's entries to disk, so `current` survives a power cut as switched."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
