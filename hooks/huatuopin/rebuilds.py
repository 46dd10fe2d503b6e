"""What a preview rebuild renders again: only the pages an edit changed.

`make serve` runs MkDocs with `--dirty`: MkDocs then skips every page whose file says it is not
modified. For a docs file it asks the file's mtime, and for a generated page it always says
"modified", so one edit would render all ~20,000 pages of a province-size site again. The
pages of this site are views made from the Catalog, and a view holds everything its page
shows: a page must be rendered again exactly when its view (or what every page shows around
it: the site chrome, the published assets, mkdocs.yml, the templates) differs from the one
last written. `ViewFile` answers MkDocs from that comparison; `Fingerprints` remembers, for
one preview process, what each written page was made from.

A plain build (`make build`, the deploy) is never dirty and renders every page.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.structure.files import File, Files

from .views import View


class ViewFile(File):
    """A page with a view: modified when its view changed since it was last written."""

    changed: bool = True
    _modified: bool | None = None  # this build's answer, once asked

    @classmethod
    def of_source(cls, file: File) -> ViewFile:
        """The same docs/ file, answering `is_modified` from its view too."""
        assert file.src_dir is not None
        return cls(
            file.src_uri,
            file.src_dir,
            file.dest_dir,
            file.use_directory_urls,
            dest_uri=file.dest_uri,
            inclusion=file.inclusion,
        )

    def is_modified(self) -> bool:
        # MkDocs asks twice per page (reading it, writing it): one look at the disk per build.
        if self._modified is None:
            self._modified = self._look()
        return self._modified

    def _look(self) -> bool:
        if self.changed or not os.path.isfile(self.abs_dest_path):
            return True
        if self.abs_src_path is None:  # generated: its view is all it is made from
            return False
        # A docs/ file edited since its page was written (MkDocs' own test).
        return os.path.getmtime(self.abs_dest_path) < os.path.getmtime(self.abs_src_path)


def fingerprint(view: View, around: str | Around) -> str:
    """What a page is made from, as a digest. A view is a frozen dataclass of values, so its
    pickle spells out every value the page shows (C-fast: a province has ~30,000 views);
    anything that differs between two builds of equal values (an object shared in one and
    copied in the other) only makes the page count as changed, never as unchanged."""
    if isinstance(around, str):
        around = Around(around)
    digest = around.digest.copy()
    try:
        digest.update(pickle.dumps(view, pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, TypeError, AttributeError):
        digest.update(repr(view).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class Around:
    """What every page is made from besides its view, digested once for all of them (it
    holds mkdocs.yml and the templates' list: encoded for each of ~30,000 views it was half
    a second of a rebuild at 10,000 stories)."""

    def __init__(self, text: str) -> None:
        self.digest = hashlib.blake2b(text.encode(), digest_size=16)


def templates_state(folders: Iterable[Path]) -> str:
    """Every template's path, size and mtime: an edited template renders every page again."""
    entries = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                entries.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(entries)


@dataclass
class Fingerprints:
    """For one `make serve` process: what each page was made from when it was last written,
    and which output files the last build made."""

    written: dict[str, str] = field(default_factory=dict)  # src_uri → fingerprint
    pending: dict[str, str] = field(default_factory=dict)  # this build's, until it succeeds
    outputs: set[str] = field(default_factory=set)  # dest_uri of every file last built
    pending_outputs: set[str] = field(default_factory=set)

    def mark(self, files: Files, views: dict[str, View], around: str) -> int:
        """Tell each ViewFile whether its page changed; the number of changed pages."""
        self.pending = {}
        changed = 0
        digested = Around(around)
        for file in files:
            view = views.get(file.src_uri)
            if view is None or not isinstance(file, ViewFile):
                continue
            digest = fingerprint(view, digested)
            self.pending[file.src_uri] = digest
            file.changed = self.written.get(file.src_uri) != digest
            changed += file.changed
        self.pending_outputs = {file.dest_uri for file in files}
        return changed

    def built(self, site_dir: Path) -> list[str]:
        """The build succeeded: remember it, and remove the outputs of pages and files that
        are gone (a deleted story, a village left without stories). Returns what was removed."""
        self.written = self.pending
        stale = sorted(self.outputs - self.pending_outputs)
        self.outputs = self.pending_outputs
        for dest_uri in stale:
            path = site_dir / dest_uri
            path.unlink(missing_ok=True)
            _remove_empty_parents(path.parent, site_dir)
        return stale


class CollectorPause:
    """Python's cycle collector, paused while a preview rebuild runs.

    A preview process holds the last build's Catalog, views and MkDocs pages: about two
    million objects at 10,000 stories. A rebuild makes as many again, and the collector walks
    the whole heap each time the new objects outgrow a quarter of the old: two or three full
    walks, ~2 s of a rebuild the contributor is waiting for. Paused, it walks nothing while
    the pages are made; the cyclic garbage the rebuild leaves (MkDocs' pages and files point
    at each other) is collected once, shortly after, while the contributor reads the preview.
    A rebuild that starts first pauses it again, and the next one collects both.
    """

    def __init__(self, delay: float = 2.0) -> None:
        self.delay = delay  # seconds: MkDocs lets the last build's pages go when it returns
        self._lock = threading.Lock()
        self._rebuilds = 0
        self._paused = False
        self._timer: threading.Timer | None = None

    def pause(self) -> None:
        with self._lock:  # waits for a collection under way: it holds the interpreter anyway
            self._rebuilds += 1
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._paused = True
            gc.disable()

    @property
    def paused(self) -> bool:
        return self._paused

    def resume_later(self) -> threading.Timer | None:
        """Collect and resume after `delay`, unless another rebuild has started by then."""
        with self._lock:
            if not self._paused:
                return None
            if self._timer is not None:
                self._timer.cancel()
            timer = threading.Timer(self.delay, self._resume, args=(self._rebuilds,))
            timer.daemon = True  # a stopped preview does not wait for it
            self._timer = timer
        timer.start()
        return timer

    def _resume(self, rebuilds: int) -> None:
        with self._lock:
            if rebuilds != self._rebuilds:  # a newer rebuild runs: it resumes when it ends
                return
            self._timer = None
            self._paused = False
            gc.collect()
            gc.enable()


def _remove_empty_parents(folder: Path, site_dir: Path) -> None:
    while folder != site_dir and folder.is_relative_to(site_dir):
        try:
            folder.rmdir()
        except OSError:  # not empty
            return
        folder = folder.parent


__all__ = ["CollectorPause", "Fingerprints", "ViewFile", "fingerprint", "templates_state"]
