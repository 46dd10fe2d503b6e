"""`scripts/bench province` at a tiny size: it builds, previews, edits, and prints figures that
match the site it built, with PASS/FAIL lines that decide its exit status.

The baselines (bare MkDocs, the blog plugin) are skipped here (`--compare 0`); the full run is
`make bench`.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import runkit
from sitekit import REPO_ROOT, mkdocs_env

STORIES, LATENCY_STORIES = 120, 100
RUN_TIMEOUT_SECONDS = 900


@pytest.fixture(scope="module")
def bench(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    keep = tmp_path_factory.mktemp("province")
    done = runkit.run(
        runkit.script(
            REPO_ROOT / "scripts" / "bench",
            "province",
            f"--stories={STORIES}",
            "--compare=0",
            f"--latency-stories={LATENCY_STORIES}",
            "--latency-limit=240",
            "--processes=1",
            f"--keep={keep}",
        ),
        cwd=REPO_ROOT,
        env=mkdocs_env(),
        timeout=RUN_TIMEOUT_SECONDS,
        merge_stderr=True,
    )
    return done, keep


def _row(output: str, label: str) -> list[str]:
    line = next(line for line in output.splitlines() if line.startswith(label))
    return line[len(label) :].split()


def test_build_rows_match_the_site_it_built(
    bench: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, keep = bench
    site = keep / f"province-{STORIES}" / "site"
    pages = {p: p.stat().st_size for p in site.rglob("*.html")}
    largest = max(pages, key=lambda p: pages[p])

    for label in ("ours cold", "ours warm"):
        stories, wall, peak, one, count, over, largest_kb, *rest = _row(done.stdout, label)
        assert int(stories) == STORIES
        assert float(wall) > 0 and int(peak.replace(",", "")) > 20  # MB: a Python process at least
        assert int(peak.replace(",", "")) >= int(one.replace(",", "")) > 0
        assert int(count.replace(",", "")) == len(pages)
        assert int(over) == sum(size > 100_000 for size in pages.values())
        assert float(largest_kb) == pytest.approx(pages[largest] / 1000, abs=0.05)
        assert rest[-1] == str(largest.relative_to(site))
        assert rest[-2] in ("Material", "own")  # the index the build made
    rows = [line.split("  ")[0] for line in done.stdout.splitlines()]
    assert "bare MkDocs + Material" not in rows and "Material blog plugin" not in rows


def test_the_edit_shows_on_the_story_its_village_and_the_listing(
    bench: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, keep = bench
    line = next(line for line in done.stdout.splitlines() if "edit shown on all of" in line)
    watched = re.search(r"edit shown on all of (.+) after ([\d.]+) s", line)
    assert watched, line
    story, village, listing = watched.group(1).split(", ")
    assert re.fullmatch(r"/stories/\d{4}-\d\d-\d\d-[a-z0-9-]+/", story)
    assert re.fullmatch(r"/villages/[a-z0-9-]+/[a-z0-9-]+/[a-z0-9-]+/", village)
    assert listing == "/stories/"
    edited = keep / f"latency-{LATENCY_STORIES}" / "ours" / "docs" / story.strip("/") / "index.md"
    assert "title: 省级基准改过的标题" in edited.read_text(encoding="utf-8")
    assert "bare mkdocs serve" not in done.stdout  # --compare 0 skips the baseline preview


def test_targets_are_printed_and_decide_the_exit_status(
    bench: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, _ = bench
    targets = done.stdout.split("== targets (issue 13) ==")[1].strip().splitlines()
    statuses = {line.split()[0] for line in targets if line[:4] in ("PASS", "FAIL", "----")}
    labels = "\n".join(targets)
    for target in ("cold build", "peak memory", "no HTML page over 100 KB", "first query"):
        assert target in labels
    assert f"edit shown in the preview ≤ 5 s at {LATENCY_STORIES}" in labels
    assert "the targets are set for 50,000 stories" in labels
    assert done.returncode == (1 if "FAIL" in statuses else 0), done.stdout[-3000:]
