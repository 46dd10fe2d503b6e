"""Site build benchmark: what a page, the site and a search cost as stories grow.

Generates synthetic sites of valid, text-only stories and builds each three ways:
ours as configured (search indexes the story header only), ours with full-text search,
and bare MkDocs + Material on the same Markdown (every page in the nav, as MkDocs does
by default, and Material's search, whose whole index a reader fetches on the first search).
Ours is searched by its own index, fetched piece by piece: its first query is
measured in a browser (search_cost.py), and a term-sharded Material index is estimated for
the same query. Checks: a story page costs the same at any size, a first query stays within
500 KB gzip (issue 13's target at 50,000 stories), and a village's name finds its page first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import _project
import yaml
from huatuopin import urls
from huatuopin.project import load_project
from huatuopin.settings import CampaignSettings
from huatuopin.sourcefile import SourceError, read_text, split_markdown

from .search_cost import SearchCost, first_query_cost, served_size, sharded_material_estimate
from .synthetic_stories import (
    SEED,
    SyntheticStory,
    compression_ratio,
    synthetic_stories,
    write_stories,
)

DESCRIPTION = "site build: page, site and search-index cost at 100 and 1,000 synthetic stories"

DEFAULT_SIZES = (100, 1000)
MATERIAL_INDEX = Path("search") / "search_index.json"  # bare Material's, fetched whole
GZIP_LEVEL = 6  # what a web server sends
FIRST_QUERY_BUDGET = 500_000  # bytes gzip fetched by a first search (issue 13, at 50,000)
PAGE_GROWTH_LIMIT = 0.10  # a story page may differ at most this much between sizes
MARKER = ".bench-site"  # marks a folder this benchmark generated and may replace

# =============================================================================================
# Site trees: ours (a copy of the project's config, hooks and templates) and bare Material.
# =============================================================================================

FULL_TEXT_CONFIG = "mkdocs-fulltext.yml"


@dataclass(frozen=True)
class SiteTrees:
    root: Path
    story_url: str  # the story page compared across builds and sizes
    query: str = ""  # what a reader searches for: the village of that story

    @property
    def ours(self) -> Path:
        return self.root / "ours"

    @property
    def bare(self) -> Path:
        return self.root / "bare"

    def site_dir(self, variant: str) -> Path:
        return self.root / f"site-{variant}"


def prepare_trees(
    root: Path, stories: list[SyntheticStory], project: Path = _project.ROOT
) -> SiteTrees:
    """Ours (from `project`: the repository or a snapshot of it) and bare, with the stories."""
    trees = SiteTrees(
        fresh_folder(root), f"stories/{stories[0].folder}/", stories[0].front_matter["village"]
    )
    copy_project(project, trees.ours)
    write_stories(stories, trees.ours / "docs")
    _write_full_text_config(trees.ours)
    _write_bare(trees.bare)
    write_stories(stories, trees.bare / "docs")
    return trees


def fresh_folder(path: Path) -> Path:
    """An empty folder marked as ours; replaces one made by an earlier run, nothing else."""
    if path.exists():
        if not (path / MARKER).is_file():
            raise BenchError(f"{path} exists and was not made by this benchmark; left alone")
        shutil.rmtree(path)
    path.mkdir(parents=True)
    (path / MARKER).write_text("made by scripts/bench site; replaced on the next run\n", "utf-8")
    return path


def copy_project(project: Path, target: Path) -> None:
    """What a build of ours needs: config, templates, hooks, home page and assets."""
    (target / "docs").mkdir(parents=True)
    shutil.copy2(project / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copy2(project / "docs" / "index.md", target / "docs" / "index.md")
    for folder in ("overrides", "hooks", "docs/assets"):
        shutil.copytree(
            project / folder,
            target / folder,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            copy_function=_copy_if_present,
        )


def _copy_if_present(source: str, target: str) -> str:
    """Others edit this working tree while the benchmark runs: editors' temp files vanish."""
    with suppress(FileNotFoundError):
        shutil.copy2(source, target)
    return target


def _write_full_text_config(ours: Path) -> None:
    """mkdocs.yml with full-text search on; MkDocs deep-merges INHERIT'ed configs."""
    config = {"INHERIT": "mkdocs.yml", "extra": {"campaign": {"search_full_text": True}}}
    _write_yaml(ours / FULL_TEXT_CONFIG, config)


def _write_bare(bare: Path) -> None:
    """Plain MkDocs + Material: no hooks, no overrides, no nav (every page is in the nav)."""
    project_config = yaml.safe_load((_project.ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config = {
        "site_name": project_config["site_name"],
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": [{"search": {"lang": "zh"}}],
    }
    (bare / "docs").mkdir(parents=True)
    _write_yaml(bare / "mkdocs.yml", config)
    home = (_project.ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    (bare / "docs" / "index.md").write_text(_without_template(home), encoding="utf-8")


def _without_template(markdown: str) -> str:
    """The home page without its `template:` (bare Material does not have ours)."""
    if not markdown.startswith("---\n"):
        return markdown
    end = markdown.index("\n---\n", 4)
    meta = yaml.safe_load(markdown[4:end]) or {}
    meta.pop("template", None)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) if meta else ""
    return f"---\n{front}---\n{markdown[end + 5 :]}" if front else markdown[end + 5 :]


def _write_yaml(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


# =============================================================================================
# Building and measuring
# =============================================================================================


@dataclass(frozen=True)
class Variant:
    key: str
    label: str
    strict: bool


VARIANTS = (
    Variant("ours", "ours", strict=True),
    Variant("fulltext", "ours+fulltext", strict=True),
    Variant("bare", "bare Material", strict=False),
)


@dataclass(frozen=True)
class Figures:
    seconds: float
    story_page: int
    site: int
    index_raw: int  # the whole index on the server
    index_gzip: int  # the whole index as served (a reader of ours never fetches all of it)
    first_query: int  # gzip bytes fetched for the first search
    first_requests: int
    top_url: str  # the first result


@dataclass
class SizeResult:
    count: int
    story_url: str
    query: str = ""
    builds: dict[str, Figures] = field(default_factory=dict)
    sharded: SearchCost | None = None  # the Material estimate on ours


class BenchError(RuntimeError):
    """A build failed or the output folder is not ours: the benchmark cannot go on."""


def config_for(trees: SiteTrees, variant: Variant) -> Path:
    if variant.key == "bare":
        return trees.bare / "mkdocs.yml"
    if variant.key == "fulltext":
        return trees.ours / FULL_TEXT_CONFIG
    return trees.ours / "mkdocs.yml"


def mkdocs_build(config: Path, site_dir: Path, *, strict: bool) -> float:
    """Build as a subprocess; returns wall-clock seconds."""
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site_dir)]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=config.parent, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
        raise BenchError(f"mkdocs build failed for {config} (exit {done.returncode}):\n{tail}")
    return seconds


def measure(site_dir: Path, story_url: str, seconds: float, query: str) -> Figures:
    story_page = (site_dir / story_url / "index.html").stat().st_size
    site = sum(p.stat().st_size for p in site_dir.rglob("*") if p.is_file())
    material = site_dir / MATERIAL_INDEX
    if material.is_file():  # bare Material: the first search fetches the whole index
        raw, served = material.stat().st_size, served_size(material)
        return Figures(seconds, story_page, site, raw, served, served, 1, "")
    files = [p for p in (site_dir / urls.SEARCH_INDEX).rglob("*") if p.is_file()]
    cost = first_query_cost(site_dir, query)
    return Figures(
        seconds,
        story_page,
        site,
        index_raw=sum(p.stat().st_size for p in files),
        index_gzip=sum(served_size(p) for p in files),
        first_query=cost.bytes,
        first_requests=cost.requests,
        top_url=cost.top_urls[0] if cost.top_urls else "",
    )


def bench_size(root: Path, count: int, settings: CampaignSettings, project: Path) -> SizeResult:
    print(f"\n{count:,} stories: generating in {root} …", flush=True)
    trees = prepare_trees(root, synthetic_stories(count, settings), project)
    result = SizeResult(count, trees.story_url, trees.query)
    for variant in VARIANTS:
        print(f"  building {variant.label:<14}", end=" ", flush=True)
        site_dir = trees.site_dir(variant.key)
        seconds = mkdocs_build(config_for(trees, variant), site_dir, strict=variant.strict)
        result.builds[variant.key] = measure(site_dir, trees.story_url, seconds, trees.query)
        print(f"{seconds:6.1f} s", flush=True)
    result.sharded = sharded_material_estimate(trees.site_dir("ours"), trees.query)
    return result


# =============================================================================================
# Report and checks
# =============================================================================================

ROWS: tuple[tuple[str, str], ...] = (
    ("build time (s, wall clock)", "seconds"),
    ("story page HTML (bytes)", "story_page"),
    ("total site (bytes)", "site"),
    ("search index raw (bytes)", "index_raw"),
    ("search index gzip-6 (bytes)", "index_gzip"),
    ("first search gzip (bytes)", "first_query"),
    ("first search requests", "first_requests"),
)
LABEL_WIDTH, COLUMN_WIDTH = 28, 15


def _cell(value: float) -> str:
    text = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
    return text.rjust(COLUMN_WIDTH)


def print_table(result: SizeResult) -> None:
    where = f"story page: /{result.story_url}; query {result.query}"
    print(f"\n== {result.count:,} stories ({where}) ==")
    header = "".join(v.label.rjust(COLUMN_WIDTH) for v in VARIANTS) + "ours/bare".rjust(11)
    print(" " * LABEL_WIDTH + header)
    for label, attribute in ROWS:
        values = [getattr(result.builds[v.key], attribute) for v in VARIANTS]
        bare = getattr(result.builds["bare"], attribute)
        ratio = getattr(result.builds["ours"], attribute) / bare if bare else float("nan")
        print(label.ljust(LABEL_WIDTH) + "".join(_cell(v) for v in values) + f"{ratio:10.2f}×")


@dataclass(frozen=True)
class Check:
    label: str
    detail: str
    status: str  # "ok", "FAIL" or "info"


def _kb(size: float) -> str:
    return f"{size / 1000:,.1f} KB"


def page_check(small: SizeResult, large: SizeResult, variant: str) -> Check:
    before, after = small.builds[variant].story_page, large.builds[variant].story_page
    growth = (after - before) / before
    detail = f"{after:,} vs {before:,} bytes ({growth:+.1%}"
    label = f"story page HTML, {large.count:,} vs {small.count:,} stories"
    if variant == "ours":
        status = "ok" if abs(growth) <= PAGE_GROWTH_LIMIT else "FAIL"
        return Check(f"{label} (ours)", f"{detail}; limit ±{PAGE_GROWTH_LIMIT:.0%})", status)
    return Check(f"{label} (bare Material)", f"{detail}; for comparison)", "info")


def checks(results: list[SizeResult]) -> list[Check]:
    small, large = results[0], results[-1]
    found = []
    if small.count != large.count:
        found += [page_check(small, large, "ours"), page_check(small, large, "bare")]
    for result in results:
        ours = result.builds["ours"]
        at = f"at {result.count:,}, {result.query}"
        found.append(
            Check(
                f"first search gzip (ours, {at})",
                f"{_kb(ours.first_query)} in {ours.first_requests} requests"
                f" (target {_kb(FIRST_QUERY_BUDGET)}; the whole index is {_kb(ours.index_gzip)})",
                "ok" if ours.first_query <= FIRST_QUERY_BUDGET else "FAIL",
            )
        )
        found.append(
            Check(
                f"the village's page comes first (ours, {at})",
                ours.top_url or "no result",
                "ok" if ours.top_url.startswith(f"/{urls.VILLAGES}") else "FAIL",
            )
        )
        if result.sharded is not None:
            sharded = result.sharded
            top = sharded.top_urls[0] if sharded.top_urls else "no result"
            found.append(
                Check(
                    f"sharded Material estimate ({at})",
                    f"{_kb(sharded.bytes)} in {sharded.requests} requests, first {top}"
                    f" (bare Material fetches {_kb(result.builds['bare'].first_query)})",
                    "info",
                )
            )
    ours, full = large.builds["ours"], large.builds["fulltext"]
    found.append(
        Check(
            f"full-text search (at {large.count:,})",
            f"whole index {_kb(full.index_gzip)} against {_kb(ours.index_gzip)};"
            f" first search {_kb(full.first_query)} against {_kb(ours.first_query)}",
            "info",
        )
    )
    return found


def print_checks(found: list[Check]) -> None:
    print("\n== checks ==")
    width = max(len(c.label) for c in found)
    for check in found:
        print(f"{check.status:>4}  {check.label.ljust(width)}  {check.detail}")


def sample_stories() -> list[tuple[str, str]]:
    """(title + summary, body) of the project's own stories: hand-written text to compare with."""
    found = []
    for path in sorted((_project.ROOT / "docs" / "stories").glob("*/index.md")):
        try:
            source = split_markdown(read_text(path, path.name), path.name)
        except SourceError:
            continue
        meta = source.front_matter.value
        if isinstance(meta, dict):
            found.append((f"{meta.get('title', '')}{meta.get('summary', '')}", source.body))
    return found


def print_text_realism(sizes: list[int], settings: CampaignSettings) -> None:
    """How repetitive the synthetic text is next to hand-written stories (gzip bytes per char).

    Synthetic text repeats more than real writing, so it compresses better: the gzip figures
    above are lower bounds for real stories, by about the factor between these columns.
    """
    samples = sample_stories()
    synthetic = [(s.header_text, s.body) for s in synthetic_stories(max(sizes), settings)]
    counts = sorted({len(samples), *sizes} - {0})
    print("\n== text realism: gzip-6 bytes per character (higher = less repetitive) ==")
    print(_row("", [f"samples ({len(samples)})"] + [f"synthetic ({n:,})" for n in counts]))
    for label, part in (("titles + summaries", 0), ("story bodies", 1)):
        ratios = [_ratio(samples, part)] + [_ratio(synthetic[:n], part) for n in counts]
        print(_row(label, [f"{ratio:.2f}" for ratio in ratios]))


def _ratio(texts: list[tuple[str, str]], part: int) -> float:
    return compression_ratio([text[part] for text in texts]) if texts else float("nan")


def _row(label: str, cells: list[str]) -> str:
    return label.ljust(LABEL_WIDTH) + "".join(cell.rjust(COLUMN_WIDTH + 4) for cell in cells)


# =============================================================================================
# Command line
# =============================================================================================


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes must be positive numbers, e.g. 100,1000")
    return sizes


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="numbers of stories, comma-separated (default: 100,1000)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="generate the sites into DIR/stories-N/ and keep them (default: a temp dir)",
    )


def _workspace(keep: Path | None) -> AbstractContextManager[str]:
    if keep is None:
        return tempfile.TemporaryDirectory(prefix="bench-site-")
    keep.mkdir(parents=True, exist_ok=True)
    return nullcontext(str(keep.resolve()))


def _versions() -> str:
    return ", ".join(f"{name} {version(name)}" for name in ("mkdocs", "mkdocs-material"))


def run(args: argparse.Namespace) -> int:
    settings = load_project(_project.ROOT / "mkdocs.yml").settings
    sizes = ", ".join(f"{n:,}" for n in args.sizes)
    print(f"Site build benchmark: {sizes} synthetic stories, seed {SEED} ({_versions()})")
    results = []
    with _workspace(args.keep) as workspace:
        try:
            # One snapshot for every size: others may be editing hooks/ while this runs.
            project = Path(workspace) / "project"
            copy_project(_project.ROOT, fresh_folder(project))
            for count in args.sizes:
                root = Path(workspace) / f"stories-{count}"
                results.append(bench_size(root, count, settings, project))
        except BenchError as error:
            print(f"\n{error}", file=sys.stderr)
            return 2
    for result in results:
        print_table(result)
    print_text_realism(args.sizes, settings)
    found = checks(results)
    print_checks(found)
    if args.keep:
        print(f"\nsites kept in {args.keep}")
    return 1 if any(c.status == "FAIL" for c in found) else 0
