"""The province benchmark's pieces: its villages and stories are valid at province scale, and it
measures memory and stops a run honestly. The run itself: tests/build/test_bench_province_run.py."""

from __future__ import annotations

import sys
import types
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from huatuopin.catalog import build_catalog
from huatuopin.gazetteer import load_gazetteer
from huatuopin.project import load_project
from huatuopin.settings import CampaignSettings
from huatuopin.villages.slugs import pinyin_slug
from huatuopin.vocab import ACTIVITIES

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))

from benchmarks import province  # noqa: E402
from benchmarks import synthetic_stories as generator  # noqa: E402
from benchmarks.synthetic_stories import (  # noqa: E402
    province_villages,
    synthetic_stories,
    write_stories,
)

COUNTIES = sum(len(city.counties) for city in load_gazetteer().cities.values())


@pytest.fixture(scope="module")
def settings() -> CampaignSettings:
    return load_project(PROJECT_ROOT / "mkdocs.yml").settings


def test_villages_cover_every_county_with_names_and_slugs_unique_in_each() -> None:
    villages = province_villages(10_000)

    assert len(villages) == 10_000
    assert len({v.county for v in villages}) == COUNTIES
    assert len({(v.county, v.name) for v in villages}) == 10_000
    assert len({(v.county, v.slug) for v in villages}) == 10_000
    assert all(v.slug == pinyin_slug(v.name) for v in villages[:500])
    # Names repeat across counties, as the province writes them: many a county has a 张庄村.
    assert Counter(v.name for v in villages).most_common(1)[0][1] > 5
    assert sum(v.name.endswith("庄村") for v in villages) > len(villages) // 5
    # The first village of every county comes first, so small sites cover the province too.
    assert len({v.county for v in villages[:COUNTIES]}) == COUNTIES


def test_province_stories_pass_the_builds_validation(
    tmp_path: Path, settings: CampaignSettings
) -> None:
    villages = province_villages(COUNTIES)
    stories = synthetic_stories(800, settings, villages=villages)
    write_stories(stories, tmp_path / "docs")

    catalog = build_catalog(tmp_path, tmp_path / "docs", settings, include_drafts=False)

    assert [str(p) for p in catalog.problems] == []
    assert len(catalog.stories) == 800
    assert len(catalog.villages) == COUNTIES
    assert {s.activity for s in catalog.stories} == {a.name for a in ACTIVITIES}
    per_village = Counter(s.village.key for s in catalog.stories)
    assert max(per_village.values()) > 2 * min(per_village.values())  # some villages are busy


def test_workers_generate_the_same_stories(
    settings: CampaignSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator, "CHUNK", 100)  # several chunks from a few stories
    villages = province_villages(COUNTIES)
    alone = synthetic_stories(350, settings, villages=villages)
    forked = synthetic_stories(350, settings, villages=villages, processes=2)

    assert [s.markdown() for s in forked] == [s.markdown() for s in alone]


def test_stories_written_by_workers_are_all_there(
    tmp_path: Path, settings: CampaignSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator, "CHUNK", 100)
    stories = synthetic_stories(350, settings, villages=province_villages(COUNTIES))

    write_stories(stories, tmp_path, processes=2)

    written = sorted(p.parent.name for p in tmp_path.glob("stories/*/index.md"))
    assert written == sorted(s.folder for s in stories)


def test_peak_memory_counts_a_grandchild(tmp_path: Path) -> None:
    grandchild = "b = bytearray(150_000_000); b[::4096] = b'x' * len(b[::4096])"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}])"

    run = province.run_measured([sys.executable, "-c", child], tmp_path, {})

    assert run.returncode == 0
    assert run.process_peak >= 150_000_000  # the kernel's count reaches the grandchild
    assert run.peak >= 150_000_000


def test_a_run_over_its_limit_is_stopped(tmp_path: Path) -> None:
    run = province.run_measured(
        [sys.executable, "-c", "import time; time.sleep(60)"], tmp_path, {}, limit=1
    )

    assert run.stopped
    assert 1 <= run.seconds < 15


def test_pages_over_the_limit_are_counted(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_bytes(b"x" * 120_000)
    (tmp_path / "b.html").write_bytes(b"x" * 100_000)
    (tmp_path / "c.html").write_bytes(b"x" * 150_000)

    pages = province.html_pages(tmp_path)

    assert (pages.count, pages.over_limit) == (3, 2)
    assert (pages.largest, pages.largest_bytes) == ("c.html", 150_000)


def _never_watched(base: str) -> tuple[Path, list[str]]:
    raise AssertionError("a preview that never served has nothing to edit")


def test_a_preview_that_never_serves_is_stopped_at_its_limit(tmp_path: Path) -> None:
    latency = province.measure_latency(
        "slow",
        10,
        lambda port: [sys.executable, "-c", "import time; time.sleep(60)"],
        tmp_path,
        tmp_path / "cache",
        _never_watched,
        start_limit=1,
        limit=1,
    )

    assert latency.ready_seconds is None and latency.seconds is None
    assert latency.note.startswith("stopped at 1 s (the time limit)")
    check = province.checks(_cold_build(), 10, province.SearchFigures(False), latency)[-1]
    assert (check.figure, check.passed) == ("no preview", False)


def test_a_preview_that_exits_says_so_with_its_output(tmp_path: Path) -> None:
    latency = province.measure_latency(
        "broken",
        10,
        lambda port: [sys.executable, "-c", "print('端口被占用'); raise SystemExit(3)"],
        tmp_path,
        tmp_path / "cache",
        _never_watched,
        start_limit=30,
        limit=1,
    )

    assert latency.ready_seconds is None
    assert "exited (3)" in latency.note and "端口被占用" in latency.note


def _cold_build() -> province.Build:
    return province.Build("ours cold", 10, province.Run(1.0, 1, 1, 0, ""))


QUERY = province.SearchQuery("小岳湾村", "villages/xinyang/xinxian/xiaoyuewan/")


@dataclass(frozen=True)
class FakeSearchCost:
    bytes: int
    files: tuple[str, ...]
    top_urls: tuple[str, ...]


def test_first_query_figures_come_from_search_cost_when_it_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    found = ("/villages/xinyang/xinxian/xiaoyuewan/", "/stories/x/")
    cost = FakeSearchCost(612_000, ("a",) * 5, found)
    sharded = FakeSearchCost(301_000, ("b",) * 3, found)
    module = types.ModuleType("benchmarks.search_cost")
    module.first_query_cost = lambda site_dir, query: cost  # type: ignore[attr-defined]
    module.sharded_material_estimate = lambda site_dir, query: sharded  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "benchmarks.search_cost", module)

    figures = province.first_query(tmp_path, QUERY)
    province.print_search(QUERY, figures, 50_000)
    check = province.checks(_cold_build(), 50_000, figures, None)[-1]

    assert figures.measured and figures.first_query_gzip == 612_000
    printed = capsys.readouterr().out
    assert "site index, requests: 5" in printed and "village page first: yes" in printed
    assert "sharded Material (estimate), bytes fetched (gzip): 301.0 KB" in printed
    assert (check.figure, check.passed) == ("612.0 KB", False)


def test_without_search_cost_the_first_query_is_not_measured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "benchmarks.search_cost", None)  # import fails

    figures = province.first_query(tmp_path, QUERY)
    check = province.checks(_cold_build(), 50_000, figures, None)[-1]

    assert not figures.measured and "search_cost.py" in figures.note
    assert (check.figure, check.passed) == ("not measured", None)
