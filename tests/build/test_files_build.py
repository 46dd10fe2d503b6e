"""Files stay where they are, in a real build: what `make check` reports is what fails the
strict build, and a lenient build (as `make serve` makes) publishes none of it.

Links under docs/ are refused, not followed; files outside the content folders are published
only as checked site assets and pages; link loops end in one Chinese line, not a traceback or
a hang.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
import sitekit
from sitekit import story_text

FOLDER = "2021-03-12-zhangzhuang-guangfu"
LINKED = "2021-03-13-linked"
SECRET = "root:x:0:0:hp-secret-line"
# A loop must end quickly: MkDocs itself would walk a doubling loop for hours.
LOOP_TIMEOUT_SECONDS = 120


def problem_places(output: str) -> set[str]:
    """`path:line` of every problem line in a report or build log."""
    places = set()
    for line in output.splitlines():
        start = line.find("docs/")
        if start >= 0 and ": 文件: " in line:
            places.add(line[start:].split(": ", 1)[0])
    return places


@pytest.fixture(scope="module")
def refusing_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with one good story and one of each file that must not be published."""
    root = tmp_path_factory.mktemp("files")
    project = sitekit.make_project(root / "project", {FOLDER: story_text("张庄的光伏板")})
    docs = project / "docs"
    secret = root / "passwd"
    secret.write_text(SECRET + "\n", "utf-8")
    (docs / "stories" / LINKED).symlink_to(FOLDER)
    (docs / "stories" / "2021-03-14-loop").symlink_to("2021-03-14-loop")
    (docs / "assets" / "leak.css").symlink_to(secret)
    (docs / "evil.html").write_text("<script>alert('hp-evil')</script>", "utf-8")
    (docs / "assets" / "evil.svg").write_text('<svg onload="alert(1)"/>', "utf-8")
    (docs / "about.md").write_text("# 关于\n\n<script>alert('hp-about')</script>\n", "utf-8")
    return project


EXPECTED_PLACES = {
    f"docs/stories/{LINKED}:1",
    "docs/stories/2021-03-14-loop:1",
    "docs/assets/leak.css:1",
    "docs/evil.html:1",
    "docs/assets/evil.svg:1",
}


def test_check_names_every_refused_file(refusing_project: Path) -> None:
    checked = sitekit.check(refusing_project)

    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr
    assert problem_places(checked.stdout) == EXPECTED_PLACES
    assert "docs/about.md:3: 正文: 含有 <script> 标签" in checked.stdout


def test_strict_build_fails_on_the_same_problems(refusing_project: Path, tmp_path: Path) -> None:
    built = sitekit.build(refusing_project, strict=True, site_dir=tmp_path / "site")

    assert built.returncode != 0
    assert "Traceback" not in built.output
    assert problem_places(built.output) == EXPECTED_PLACES
    assert "docs/about.md:3: 正文" in built.output


def test_lenient_build_publishes_none_of_them(refusing_project: Path, tmp_path: Path) -> None:
    built = sitekit.build(refusing_project, strict=False, site_dir=tmp_path / "site")
    site = built.site_dir

    assert built.returncode == 0, built.output
    assert "Traceback" not in built.output
    assert (site / "stories" / FOLDER / "index.html").is_file()
    for absent in (
        f"stories/{LINKED}",
        "stories/2021-03-14-loop",
        "assets/leak.css",
        "evil.html",
        "assets/evil.svg",
        "about",
    ):
        assert not (site / absent).exists(), absent
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data, path
            assert b"hp-evil" not in data and b"hp-about" not in data, path
    assert LINKED not in (site / "sitemap.xml").read_text("utf-8")


# -- loops that MkDocs' own walk of docs/ would never finish ------------------------------------


@pytest.fixture
def looping_project(tmp_path: Path) -> Path:
    project = sitekit.make_project(tmp_path / "project", {FOLDER: story_text("张庄的光伏板")})
    docs = project / "docs"
    # Two links to a parent folder: each level of MkDocs' walk finds both again.
    (docs / "assets" / "up").symlink_to("..")
    (docs / "stories" / FOLDER / "all").symlink_to("../..")
    return project


LOOP_PLACES = {"docs/assets/up:1", f"docs/stories/{FOLDER}/all:1"}


def test_link_loops_end_the_build_at_once_in_chinese(looping_project: Path) -> None:
    started = time.monotonic()
    completed = subprocess.run(
        sitekit.mkdocs_command("build", "--strict"),
        cwd=looping_project,
        env=sitekit.mkdocs_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=LOOP_TIMEOUT_SECONDS,
        check=False,
    )
    output = completed.stdout

    assert completed.returncode != 0
    assert "Traceback" not in output
    assert time.monotonic() - started < LOOP_TIMEOUT_SECONDS
    assert problem_places(output) == LOOP_PLACES
    assert output.strip().splitlines()[-1].startswith("构建中止：")


def test_check_reports_the_same_loops(looping_project: Path) -> None:
    checked = sitekit.check(looping_project)

    assert checked.returncode == 1
    assert problem_places(checked.stdout) == LOOP_PLACES
