"""Province benchmark: the whole of Henan, 50,000 stories over every county (issue 13).

Generates a province-size site (`province_villages`: about one village per five stories, over
every county, names unique per county) and measures, in one run:

- builds of ours, cold (an empty cache directory) and warm (the same directory again): wall
  time, peak memory, the largest HTML page, pages over 100 KB and the search index's bytes;
- baselines on the same Markdown at a smaller size (`--compare`, 5,000 by default): ours,
  bare MkDocs + Material, and Material's blog plugin (the stories as posts), each stopped when
  it runs over `--compare-limit`;
- edit latency (`--latency-stories`, 10,000 by default): the real preview (`scripts/serve`),
  one story's title changed in its index.md, seconds until the story page, its village page
  and /stories/ page 1 all show it; bare `mkdocs serve` on the same stories alongside;
- the targets of issue 13, each printed with its figure and PASS or FAIL; exit status 1 when
  one fails (2 when a build of ours fails).

Peak memory is measured two ways, both printed: the sum of the resident memory of the build
process and all its descendants, sampled from /proc every POLL_SECONDS (catches worker
processes running side by side, can miss a peak shorter than the interval), and the largest
single process as the kernel counted it (`wait4`'s ru_maxrss: exact, but one process only).
The target is checked against the larger of the two.

1 KB here is 1,000 bytes.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import _project
import yaml
from huatuopin import urls
from huatuopin.gazetteer import load_gazetteer
from huatuopin.project import load_project
from huatuopin.settings import CampaignSettings

from .site_build import BenchError, copy_project, fresh_folder
from .synthetic_stories import (
    SEED,
    STORIES_PER_VILLAGE,
    SyntheticStory,
    SyntheticVillage,
    province_villages,
    synthetic_stories,
    write_stories,
)

DESCRIPTION = (
    "province: 50,000 stories over every county — cold/warm build, pages, search bytes, "
    "edit latency at 10,000; bare MkDocs and the blog plugin at 5,000 alongside"
)

DEFAULT_STORIES = 50_000
DEFAULT_COMPARE = 5_000
DEFAULT_COMPARE_LIMIT = 900.0  # seconds a baseline build may take before it is stopped
DEFAULT_LATENCY_STORIES = 10_000
DEFAULT_LATENCY_LIMIT = 300.0  # seconds to wait for an edit to show
SERVE_START_LIMIT = 1800.0  # seconds for the preview's first build

KB = 1000
# Targets of issue 13.
COLD_TARGET_SECONDS = 6 * 60
PEAK_TARGET_BYTES = 3_000_000_000
PAGE_TARGET_BYTES = 100 * KB
FIRST_QUERY_TARGET_BYTES = 500 * KB
LATENCY_TARGET_SECONDS = 5.0
TARGET_STORIES, TARGET_LATENCY_STORIES = 50_000, 10_000

POLL_SECONDS = 0.2  # memory sampling interval
FETCH_EVERY = 0.1  # seconds between polls of the preview
GZIP_LEVEL = 6  # what a web server sends
CACHE_ENV, MEDIA_CACHE_ENV = "HUATUOPIN_CACHE", "HUATUOPIN_MEDIA_CACHE"
SEARCH_INDEX = Path("search") / "search_index.json"
SITE_INDEX = Path("search-index")  # ours: hooks/huatuopin/search/indexer.py
EDITED_TITLE = "省级基准改过的标题{nonce}"

# =============================================================================================
# Site trees
# =============================================================================================


@dataclass(frozen=True)
class Province:
    """The synthetic province: its villages and stories, and where each story's village is."""

    villages: list[SyntheticVillage]
    stories: list[SyntheticStory]

    def village_of(self, story: SyntheticStory) -> SyntheticVillage:
        meta = story.front_matter
        return self._index[(meta["city"], meta["county"], meta["village"])]

    @cached_property
    def _index(self) -> dict[tuple[str, str, str], SyntheticVillage]:
        return {(v.county.city, v.county.name, v.name): v for v in self.villages}


def make_province(
    count: int, settings: CampaignSettings, processes: int, villages: int | None = None
) -> Province:
    counties = sum(len(c.counties) for c in load_gazetteer().cities.values())
    wanted = villages or max(counties, -(-count // STORIES_PER_VILLAGE))
    places = province_villages(wanted)
    return Province(places, synthetic_stories(count, settings, SEED, places, processes))


PREVIEW_SCRIPTS = ("serve", "_project.py", "_stop.py")  # scripts/serve and what it imports


def copy_with_preview(project: Path, target: Path) -> None:
    """What a build needs (site_build.copy_project) and `scripts/serve`, run from the copy."""
    copy_project(project, target)
    (target / "scripts").mkdir()
    for script in PREVIEW_SCRIPTS:
        shutil.copy2(project / "scripts" / script, target / "scripts" / script)


def write_ours(
    root: Path, project: Path, stories: Sequence[SyntheticStory], processes: int
) -> Path:
    copy_with_preview(project, root)
    write_stories(stories, root / "docs", processes)
    return root / "mkdocs.yml"


def write_bare(root: Path, stories: Sequence[SyntheticStory], processes: int) -> Path:
    """Plain MkDocs + Material on the same Markdown: no hooks, no overrides.

    The nav names only the home page, as ours keeps stories out of its nav: MkDocs' default nav
    lists every page on every page, which at 5,000 stories writes megabytes per page (quadratic)
    and would measure the nav, not the build.
    """
    config = {
        "site_name": _site_name(),
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": [{"search": {"lang": "zh"}}],
        "nav": [{"首页": "index.md"}],
    }
    return _write_tree(root, config, stories, processes, "stories")


def write_blog(root: Path, stories: Sequence[SyntheticStory], processes: int) -> Path:
    """Material's blog plugin: every story a post under docs/blog/posts/ with its `date:`."""
    config = {
        "site_name": _site_name(),
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": [{"search": {"lang": "zh"}}, {"blog": {"authors": False}}],
    }
    posts = [_as_post(story) for story in stories]
    config_path = _write_tree(root, config, posts, processes, "blog/posts")
    (root / "docs" / "blog" / "index.md").write_text("# 稿件\n", encoding="utf-8")
    return config_path


def _as_post(story: SyntheticStory) -> SyntheticStory:
    """The story as a blog post: the blog plugin's own fields, the title as the heading."""
    meta = story.front_matter
    front = {"date": meta["date"], "slug": story.folder, "categories": [meta["activity"]]}
    body = f"# {meta['title']}\n\n{meta['summary']}\n\n<!-- more -->\n\n{story.body}"
    return SyntheticStory(story.folder, front, body)


def _write_tree(
    root: Path,
    config: dict[str, Any],
    stories: Sequence[SyntheticStory],
    processes: int,
    under: str,
) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(f"# {_site_name()}\n", encoding="utf-8")
    config_path = root / "mkdocs.yml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    write_stories(stories, root / "docs", processes, under)
    return config_path


def _site_name() -> str:
    config = yaml.safe_load((_project.ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return str(config["site_name"])


# =============================================================================================
# Running a command: wall time, peak memory, a time limit
# =============================================================================================


@dataclass(frozen=True)
class Run:
    seconds: float
    tree_peak: int  # bytes: the most the process and its descendants held at one sample
    process_peak: int  # bytes: the largest single process (wait4 ru_maxrss)
    returncode: int | None  # None: stopped at the time limit
    output: str

    @property
    def peak(self) -> int:
        return max(self.tree_peak, self.process_peak)

    @property
    def stopped(self) -> bool:
        return self.returncode is None


def run_measured(
    command: list[str], cwd: Path, env: dict[str, str], limit: float | None = None
) -> Run:
    """Runs `command` in its own process group; stops the group at `limit` seconds."""
    with tempfile.TemporaryFile(mode="w+b") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        sampler = TreeSampler(process.pid)
        sampler.start()
        stopped = False
        deadline = None if limit is None else started + limit
        while True:
            done, status, usage = os.wait4(process.pid, os.WNOHANG)
            if done:
                break
            if deadline is not None and time.perf_counter() > deadline:
                _stop_group(process.pid)
                done, status, usage = os.wait4(process.pid, 0)
                stopped = True
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait4 again
        sampler.stop()
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    return Run(
        seconds,
        sampler.peak,
        usage.ru_maxrss * 1024,  # Linux counts ru_maxrss in KiB
        None if stopped else process.returncode,
        output,
    )


def _stop_group(pid: int) -> None:
    """SIGTERM to the process group, SIGKILL to whatever of it is left two seconds later."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and not _ended(pid):
        time.sleep(0.05)
    with suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)  # stragglers of the group


def _ended(pid: int) -> bool:
    """Exited (a zombie until it is waited for) or gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2] in "ZX"


class TreeSampler:
    """Samples the resident memory of a process and its descendants from /proc."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, self.resident())
            self._done.wait(POLL_SECONDS)

    def resident(self) -> int:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
        total, todo = 0, [self.root]
        while todo:
            pid = todo.pop()
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self._page
            except (OSError, IndexError, ValueError):
                continue
            todo += children.get(pid, [])
        return total


def build_env(cache: Path) -> dict[str, str]:
    """The environment of every build and preview: all caches under `cache`."""
    return {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        CACHE_ENV: str(cache),
        MEDIA_CACHE_ENV: str(cache / "media"),
    }


def mkdocs_build(
    config: Path, site_dir: Path, cache: Path, *, strict: bool, limit: float | None
) -> Run:
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    return run_measured(command, config.parent, build_env(cache), limit)


# =============================================================================================
# What a build produced
# =============================================================================================


@dataclass(frozen=True)
class Pages:
    count: int
    largest: str  # site-relative path
    largest_bytes: int
    over_limit: int  # pages over PAGE_TARGET_BYTES
    over_examples: tuple[str, ...]


def html_pages(site_dir: Path) -> Pages:
    sizes = {str(p.relative_to(site_dir)): p.stat().st_size for p in site_dir.rglob("*.html")}
    if not sizes:
        return Pages(0, "-", 0, 0, ())
    largest = max(sizes, key=lambda path: (sizes[path], path))
    over = sorted((p for p, size in sizes.items() if size > PAGE_TARGET_BYTES), key=sizes.get)
    return Pages(len(sizes), largest, sizes[largest], len(over), tuple(reversed(over[-5:])))


@dataclass(frozen=True)
class SearchFiles:
    kind: str  # "Material" (search_index.json), "own" (search-index/) or "none"
    files: int
    gzip_bytes: int  # what a server with gzip on sends for all of it


def search_files(site_dir: Path) -> SearchFiles:
    own = site_dir / SITE_INDEX
    if own.is_dir():
        files = [p for p in own.rglob("*") if p.is_file()]
        return SearchFiles("own", len(files), sum(_sent_bytes(p) for p in files))
    index = site_dir / SEARCH_INDEX
    if index.is_file():
        return SearchFiles("Material", 1, _sent_bytes(index))
    return SearchFiles("none", 0, 0)


def _sent_bytes(path: Path) -> int:
    """Gzip size, or the file's own size when it is smaller (a file compressed already)."""
    data = path.read_bytes()
    return min(len(data), len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)))


@dataclass(frozen=True)
class Build:
    label: str
    stories: int
    run: Run
    pages: Pages | None = None
    search: SearchFiles | None = None


def measure_build(
    label: str,
    stories: int,
    config: Path,
    site_dir: Path,
    cache: Path,
    *,
    strict: bool,
    limit: float | None,
) -> Build:
    print(f"  building {label} ({stories:,} stories) …", end=" ", flush=True)
    run = mkdocs_build(config, site_dir, cache, strict=strict, limit=limit)
    if run.stopped:
        print(f"stopped at {run.seconds:,.0f} s (limit)", flush=True)
        return Build(label, stories, run)
    print(f"{run.seconds:,.1f} s", flush=True)
    if run.returncode != 0:
        tail = "\n".join(run.output.splitlines()[-30:])
        raise BenchError(f"{label}: mkdocs build failed (exit {run.returncode}):\n{tail}")
    return Build(label, stories, run, html_pages(site_dir), search_files(site_dir))


# =============================================================================================
# Search: first-query cost (scripts/benchmarks/search_cost.py, when it exists)
# =============================================================================================


@dataclass(frozen=True)
class SearchQuery:
    query: str
    expected: str  # site-relative URL of the village page that should come first


@dataclass
class SearchFigures:
    """What the first query costs; `measured` is False until search_cost.py exists."""

    measured: bool
    first_query_gzip: int | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    top_urls: tuple[str, ...] = ()
    note: str = ""


def first_query(site_dir: Path, query: SearchQuery) -> SearchFigures:
    """The site index's first query through nginx on the phone, weighed against what a term-sharded
    Material index would fetch for the same query (search_cost.py says how it is estimated)."""
    try:
        from .search_cost import first_query_cost, sharded_material_estimate
    except ImportError:
        return SearchFigures(
            False, note="首次查询的字节数没有测：scripts/benchmarks/search_cost.py 还不存在"
        )
    cost = first_query_cost(site_dir, query.query)
    sharded = sharded_material_estimate(site_dir, query.query)
    figures: dict[str, Any] = {
        "site index, bytes fetched (gzip)": _kb(cost.bytes),
        "site index, requests": len(cost.files),
        "sharded Material (estimate), bytes fetched (gzip)": _kb(sharded.bytes),
        "sharded Material (estimate), requests": len(sharded.files),
        "sharded Material (estimate), first result": (sharded.top_urls or ("none",))[0],
    }
    return SearchFigures(True, cost.bytes, figures, cost.top_urls)


def pick_query(province: Province) -> SearchQuery:
    """A village whose name is its own in the whole province, so one page is the right answer."""
    names = Counter(v.name for v in province.villages)
    used = {province.village_of(s) for s in province.stories}
    ordered = [v for v in province.villages if v in used]
    village = next((v for v in ordered if names[v.name] == 1), ordered[0])
    return SearchQuery(village.name, village_url(village))


def village_url(village: SyntheticVillage) -> str:
    city = load_gazetteer().cities[village.county.city]
    return urls.village(city.slug, village.county.slug, village.slug)


# =============================================================================================
# Edit latency: the real preview, one title changed
# =============================================================================================


@dataclass(frozen=True)
class Latency:
    label: str
    stories: int
    ready_seconds: float | None  # the first build until the preview answered; None: it did not
    seconds: float | None  # edit until every watched page showed it; None: not within the limit
    watched: tuple[str, ...]
    shown: dict[str, float]  # URL → seconds until it showed the new title
    note: str = ""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


@contextmanager
def preview(
    command: list[str], cwd: Path, env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            _stop_preview(process)


def _stop_preview(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C as a person would; the whole group only when it does not stop."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        _stop_group(process.pid)
        process.wait()


def wait_until_serving(process: subprocess.Popen[bytes], base: str, limit: float) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if process.poll() is not None:
            return None
        if fetch(base + "/") is not None:
            return time.perf_counter() - started
        time.sleep(0.5)
    return None


def change_title(index_md: Path, title: str) -> None:
    text = index_md.read_text(encoding="utf-8")
    changed, count = re.subn(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
    if count != 1:
        raise BenchError(f"{index_md}: no title line to change")
    index_md.write_text(changed, encoding="utf-8")


def watch(urls_: Sequence[str], needle: str, limit: float) -> tuple[float | None, dict[str, float]]:
    """Polls until every URL shows `needle`; seconds from the call, and when each showed it."""
    started = time.perf_counter()
    shown: dict[str, float] = {}
    while time.perf_counter() - started < limit:
        for url in urls_:
            if url not in shown and needle in (fetch(url) or ""):
                shown[url] = time.perf_counter() - started
        if len(shown) == len(urls_):
            return max(shown.values()), shown
        time.sleep(FETCH_EVERY)
    return None, shown


def measure_latency(
    label: str,
    stories: int,
    command: Callable[[int], list[str]],
    root: Path,
    cache: Path,
    watched: Callable[[str], tuple[Path, list[str]]],
    *,
    start_limit: float,
    limit: float,
) -> Latency:
    """Starts the preview, edits the story `watched` picks from /stories/, waits for the pages."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"  preview {label} ({stories:,} stories): first build …", end=" ", flush=True)
    log = root / f"serve-{port}.log"
    with preview(command(port), root, build_env(cache), log) as process:
        ready = wait_until_serving(process, base, start_limit)
        if ready is None:
            if process.poll() is None:
                note = f"stopped at {start_limit:,.0f} s (the time limit) before it served a page"
            else:
                tail = "\n".join(log.read_text("utf-8", "replace").splitlines()[-5:])
                note = f"the preview exited ({process.returncode}) before it served:\n{tail}"
            print(note.splitlines()[0], flush=True)
            return Latency(label, stories, None, None, (), {}, note)
        print(f"serving after {ready:,.1f} s; editing a title …", end=" ", flush=True)
        index_md, paths = watched(base)
        title = EDITED_TITLE.format(nonce=time.time_ns() % 1_000_000)
        change_title(index_md, title)
        seconds, shown = watch([f"{base}/{p}" for p in paths], title, limit)
    print("not shown within the limit" if seconds is None else f"{seconds:,.2f} s", flush=True)
    return Latency(
        label,
        stories,
        ready,
        seconds,
        tuple(f"/{p}" for p in paths),
        {u.removeprefix(base): s for u, s in shown.items()},
    )


STORY_LINK = re.compile(r'href="(?:\.\./|/)*stories/(\d{4}-\d\d-\d\d-[a-z0-9-]+)/"')


def ours_watched(province: Province, docs: Path) -> Callable[[str], tuple[Path, list[str]]]:
    """The first story on /stories/ page 1, its page, its village page and that listing."""
    by_folder = {s.folder: s for s in province.stories}

    def pick(base: str) -> tuple[Path, list[str]]:
        page = fetch(f"{base}/{urls.STORIES}") or ""
        folder = next((m for m in STORY_LINK.findall(page) if m in by_folder), None)
        if folder is None:
            raise BenchError("/stories/ lists no synthetic story: cannot pick one to edit")
        village = village_url(province.village_of(by_folder[folder]))
        paths = [urls.story(folder), village, urls.STORIES]
        return docs / "stories" / folder / "index.md", paths

    return pick


def bare_watched(folder: str, docs: Path) -> Callable[[str], tuple[Path, list[str]]]:
    """Bare MkDocs has only the story's own page (no listings, no village pages)."""
    return lambda base: (docs / "stories" / folder / "index.md", [urls.story(folder)])


# =============================================================================================
# Report
# =============================================================================================


@dataclass(frozen=True)
class Check:
    label: str
    figure: str
    passed: bool | None  # None: not measured


def _mb(size: int) -> str:
    return f"{size / 1_000_000:,.0f}"


def _kb(size: int) -> str:
    return f"{size / KB:,.1f} KB"


def _minutes(seconds: float) -> str:
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def print_builds(builds: list[Build]) -> None:
    print("\n== builds (wall clock; memory: all processes sampled / largest one, MB) ==")
    header = (
        f"{'build':<26}{'stories':>8}{'wall s':>9}{'peak MB':>9}{'1 proc':>8}"
        f"{'pages':>8}{'>100KB':>8}{'largest KB':>11}  {'search gzip':<20}largest page"
    )
    print(header)
    for b in builds:
        run = b.run
        start = f"{b.label:<26}{b.stories:>8,}"
        if run.stopped:
            print(f"{start}{'stopped':>9}  at {run.seconds:,.0f} s (the time limit)")
            continue
        pages = b.pages or Pages(0, "-", 0, 0, ())
        search = b.search or SearchFiles("none", 0, 0)
        index = f"{_kb(search.gzip_bytes)} {search.kind}" if search.files else "none"
        print(
            f"{start}{run.seconds:>9,.1f}{_mb(run.tree_peak):>9}{_mb(run.process_peak):>8}"
            f"{pages.count:>8,}{pages.over_limit:>8,}{pages.largest_bytes / KB:>11,.1f}  "
            f"{index:<20}{pages.largest}"
        )
    for b in builds:
        if b.pages and b.pages.over_limit:
            print(f"  {b.label}: over 100 KB, largest first: {', '.join(b.pages.over_examples)}")


def print_ratios(builds: list[Build]) -> None:
    by_label = {b.label: b for b in builds if not b.run.stopped}
    bare = by_label.get("bare MkDocs + Material") or by_label.get("Material blog plugin")
    ours = next(
        (b for b in builds if b.label.startswith("ours") and bare and b.stories == bare.stories),
        None,
    )
    if ours is None or ours.run.stopped:
        return
    print(f"\n== at {ours.stories:,} stories: ours against the baselines (wall time) ==")
    for label in ("bare MkDocs + Material", "Material blog plugin"):
        base = by_label.get(label)
        if base is not None:
            print(f"  ours / {label}: {ours.run.seconds / base.run.seconds:.2f}×")


def print_search(query: SearchQuery, figures: SearchFigures, stories: int) -> None:
    print(f"\n== search at {stories:,} stories: first query “{query.query}” ==")
    if not figures.measured:
        print(f"  {figures.note}")
        return
    for name, value in figures.figures.items():
        print(f"  {name}: {value}")
    if figures.top_urls:
        first = figures.top_urls[0].lstrip("/")
        verdict = "yes" if first.endswith(query.expected) else f"no (expected /{query.expected})"
        print(f"  village page first: {verdict}")


def print_latencies(latencies: list[Latency]) -> None:
    if not latencies:
        return
    print("\n== edit latency: one story's title changed while the preview runs ==")
    for lat in latencies:
        if lat.ready_seconds is None:
            print(f"  {lat.label} ({lat.stories:,}): {lat.note}")
            continue
        shown = f"{lat.seconds:,.2f} s" if lat.seconds is not None else "not shown within the limit"
        print(
            f"  {lat.label} ({lat.stories:,} stories): first build {lat.ready_seconds:,.1f} s; "
            f"edit shown on all of {', '.join(lat.watched)} after {shown}"
        )
        for url, seconds in lat.shown.items():
            print(f"      {url}: {seconds:,.2f} s")


def checks(
    cold: Build, stories: int, search: SearchFigures, latency: Latency | None
) -> list[Check]:
    found = []
    if cold.run.stopped:
        found.append(Check(f"cold build, {stories:,} stories ≤ 6 min", "stopped", False))
    else:
        seconds = cold.run.seconds
        found.append(
            Check(
                f"cold build, {stories:,} stories ≤ 6 min",
                f"{_minutes(seconds)} ({seconds:,.1f} s)",
                seconds <= COLD_TARGET_SECONDS,
            )
        )
        found.append(
            Check(
                f"peak memory, {stories:,} stories < 3 GB",
                f"{_mb(cold.run.peak)} MB",
                cold.run.peak < PEAK_TARGET_BYTES,
            )
        )
    if cold.pages is not None:
        found.append(
            Check(
                "no HTML page over 100 KB",
                f"largest {_kb(cold.pages.largest_bytes)} ({cold.pages.largest}); "
                f"{cold.pages.over_limit:,} over",
                cold.pages.over_limit == 0,
            )
        )
    if search.measured and search.first_query_gzip is not None:
        found.append(
            Check(
                f"first query ≤ 500 KB gzip at {stories:,} stories",
                _kb(search.first_query_gzip),
                search.first_query_gzip <= FIRST_QUERY_TARGET_BYTES,
            )
        )
    else:
        found.append(
            Check(f"first query ≤ 500 KB gzip at {stories:,} stories", "not measured", None)
        )
    if latency is not None:
        label = f"edit shown in the preview ≤ 5 s at {latency.stories:,} stories"
        if latency.seconds is None:
            found.append(
                Check(label, "not shown" if latency.ready_seconds else "no preview", False)
            )
        else:
            found.append(
                Check(label, f"{latency.seconds:,.2f} s", latency.seconds <= LATENCY_TARGET_SECONDS)
            )
    return found


def print_checks(found: list[Check], stories: int, latency_stories: int | None) -> None:
    print("\n== targets (issue 13) ==")
    width = max(len(c.label) for c in found)
    for check in found:
        status = {True: "PASS", False: "FAIL", None: "----"}[check.passed]
        print(f"{status}  {check.label.ljust(width)}  {check.figure}")
    if stories != TARGET_STORIES or latency_stories not in (None, TARGET_LATENCY_STORIES):
        print(
            f"(the targets are set for {TARGET_STORIES:,} stories and latency at "
            f"{TARGET_LATENCY_STORIES:,}; this run used other sizes)"
        )


# =============================================================================================
# Command line
# =============================================================================================


def _count(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.replace(",", "").replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"at least {minimum}")
        return value

    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stories", type=_count(1), default=DEFAULT_STORIES, help="stories (default: 50,000)"
    )
    parser.add_argument(
        "--villages",
        type=_count(1),
        help="villages (default: one per five stories, at least one per county)",
    )
    parser.add_argument(
        "--compare",
        type=_count(0),
        default=DEFAULT_COMPARE,
        metavar="N",
        help="ours, bare MkDocs and the blog plugin at N stories (default: 5,000; 0: skip)",
    )
    parser.add_argument(
        "--compare-limit",
        type=float,
        default=DEFAULT_COMPARE_LIMIT,
        metavar="SECONDS",
        help="stop a baseline build or preview after this long (default: 900)",
    )
    parser.add_argument(
        "--latency-stories",
        type=_count(0),
        default=DEFAULT_LATENCY_STORIES,
        metavar="N",
        help="edit latency of the preview at N stories (default: 10,000; 0: skip)",
    )
    parser.add_argument(
        "--latency-limit",
        type=float,
        default=DEFAULT_LATENCY_LIMIT,
        metavar="SECONDS",
        help="how long to wait for an edit to show (default: 300)",
    )
    parser.add_argument(
        "--processes",
        type=_count(1),
        default=2,
        help="worker processes generating the stories (default: 2)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="generate into DIR and keep the sites and caches (default: a temp dir, removed)",
    )


def _workspace(keep: Path | None) -> AbstractContextManager[str]:
    if keep is None:
        return tempfile.TemporaryDirectory(prefix="bench-province-")
    keep.mkdir(parents=True, exist_ok=True)
    return nullcontext(str(keep.resolve()))


def run(args: argparse.Namespace) -> int:
    settings = load_project(_project.ROOT / "mkdocs.yml").settings
    print(
        f"Province benchmark: {args.stories:,} stories; baselines at {args.compare:,}; "
        f"edit latency at {args.latency_stories:,}; seed {SEED}"
    )
    with _workspace(args.keep) as workspace:
        try:
            return _run(args, settings, Path(workspace))
        except BenchError as error:
            print(f"\n{error}", file=sys.stderr)
            return 2


def _run(args: argparse.Namespace, settings: CampaignSettings, workspace: Path) -> int:
    # One snapshot of the project for every tree: others may edit hooks/ while this runs.
    project = fresh_folder(workspace / "project")
    copy_with_preview(_project.ROOT, project)

    started = time.perf_counter()
    province = make_province(args.stories, settings, args.processes, args.villages)
    root = fresh_folder(workspace / f"province-{args.stories}")
    config = write_ours(root / "ours", project, province.stories, args.processes)
    used = {province.village_of(s) for s in province.stories}
    print(
        f"\ngenerated {args.stories:,} stories in {len(used):,} villages of "
        f"{len({v.county for v in used}):,} counties in "
        f"{time.perf_counter() - started:,.1f} s ({root})",
        flush=True,
    )
    cache = root / "cache"
    builds = [
        measure_build(
            "ours cold", args.stories, config, root / "site", cache, strict=True, limit=None
        ),
        measure_build(
            "ours warm", args.stories, config, root / "site", cache, strict=True, limit=None
        ),
    ]
    cold = builds[0]
    query = pick_query(province)
    search = first_query(root / "site", query)
    searches = [(args.stories, query, search)]

    if args.compare:
        builds += _baselines(args, settings, workspace, project, province, searches)

    latencies: list[Latency] = []
    if args.latency_stories:
        latencies = _latencies(args, settings, workspace, project, province)

    print_builds(builds)
    print_ratios(builds)
    for stories, asked, figures in sorted(searches, key=lambda found: found[0]):
        print_search(asked, figures, stories)
    print_latencies(latencies)
    found = checks(cold, args.stories, search, latencies[0] if latencies else None)
    print_checks(found, args.stories, args.latency_stories or None)
    if args.keep:
        print(f"\nsites kept in {args.keep}")
    return 1 if any(c.passed is False for c in found) else 0


def _subset(
    args: argparse.Namespace, settings: CampaignSettings, province: Province, count: int
) -> Province:
    """The province at another size: its own villages (five stories each), same generator."""
    if count == args.stories:
        return province
    return make_province(count, settings, args.processes)


def _baselines(
    args: argparse.Namespace,
    settings: CampaignSettings,
    workspace: Path,
    project: Path,
    province: Province,
    searches: list[tuple[int, SearchQuery, SearchFigures]],
) -> list[Build]:
    """Ours, bare MkDocs and the blog plugin at `--compare` stories; ours' first query there
    goes into `searches` (the search cost at two sizes)."""
    count = args.compare
    small = _subset(args, settings, province, count)
    root = fresh_folder(workspace / f"compare-{count}")
    print(f"\nbaselines at {count:,} stories ({root}):", flush=True)
    trees = {
        "bare MkDocs + Material": write_bare(root / "bare", small.stories, args.processes),
        "Material blog plugin": write_blog(root / "blog", small.stories, args.processes),
    }
    if count != args.stories:  # else "ours cold" is ours at this size
        trees = {
            "ours at": write_ours(root / "ours", project, small.stories, args.processes)
        } | trees
    builds = []
    for label, config in trees.items():
        name = f"ours at {count:,} (cold)" if label == "ours at" else label
        site = config.parent.parent / f"site-{config.parent.name}"
        cache = config.parent.parent / f"cache-{config.parent.name}"
        builds.append(
            measure_build(
                name,
                count,
                config,
                site,
                cache,
                strict=label == "ours at",
                limit=args.compare_limit,
            )
        )
        if label == "ours at" and not builds[-1].run.stopped:
            asked = pick_query(small)
            searches.append((count, asked, first_query(site, asked)))
        shutil.rmtree(site, ignore_errors=True)  # thousands of pages each: keep the disk free
    return builds


def _latencies(
    args: argparse.Namespace,
    settings: CampaignSettings,
    workspace: Path,
    project: Path,
    province: Province,
) -> list[Latency]:
    count = args.latency_stories
    small = _subset(args, settings, province, count)
    root = fresh_folder(workspace / f"latency-{count}")
    print(f"\nedit latency at {count:,} stories ({root}):", flush=True)
    ours = write_ours(root / "ours", project, small.stories, args.processes).parent
    found = [
        measure_latency(
            "make serve (scripts/serve)",
            count,
            lambda port: [sys.executable, "scripts/serve", f"--port={port}"],
            ours,
            root / "cache",
            ours_watched(small, ours / "docs"),
            start_limit=SERVE_START_LIMIT,
            limit=args.latency_limit,
        )
    ]
    if args.compare:
        bare = write_bare(root / "bare", small.stories, args.processes).parent
        edited = (
            found[0].watched[0].strip("/").removeprefix(urls.STORIES) if found[0].watched else ""
        )
        folder = edited or small.stories[0].folder
        found.append(
            measure_latency(
                "bare mkdocs serve",
                count,
                lambda port: [
                    sys.executable,
                    "-m",
                    "mkdocs",
                    "serve",
                    "--dev-addr",
                    f"127.0.0.1:{port}",
                ],
                bare,
                root / "cache-bare",
                bare_watched(folder, bare / "docs"),
                start_limit=args.compare_limit,
                limit=min(args.latency_limit, args.compare_limit),
            )
        )
    return found
