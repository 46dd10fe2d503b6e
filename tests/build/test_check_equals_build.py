"""`make check` passes exactly when `make build` (strict) passes, for every hostile case.

Each case is a small project with one thing wrong (or nothing wrong, as a control). Check runs
the build's own stages, so for each case both fail or both pass; when they fail, check names
the same place the build names. `make check STORY=…` reports every problem of the build that
involves the story, and only a story folder is a STORY.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import hostilekit
import pytest
import sitekit
from sitekit import story_text

FOLDER = "2021-03-12-zhangzhuang-guangfu"

Setup = Callable[[Path], None]


def story(folder: str, text: str) -> Setup:
    def write(root: Path) -> None:
        (root / sitekit.STORIES / folder).mkdir(parents=True, exist_ok=True)
        (root / sitekit.STORIES / folder / "index.md").write_text(text, "utf-8")

    return write


def docs_file(relative: str, text: str) -> Setup:
    def write(root: Path) -> None:
        path = root / "docs" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")

    return write


def symlinked_story(root: Path) -> None:
    (root / sitekit.STORIES / "2021-03-13-linked").symlink_to(root / sitekit.STORIES / FOLDER)


def symlink_loop(root: Path) -> None:
    (root / sitekit.STORIES / "2021-03-14-loop").symlink_to("2021-03-14-loop")


def asset_outside_docs(root: Path) -> None:
    (root / "docs" / "assets" / "leak.css").symlink_to("/etc/passwd")


def redirects(lines: str) -> Setup:
    def write(root: Path) -> None:
        (root / "redirects.yml").write_text(f"redirect_maps:\n{lines}", "utf-8")

    return write


def body(text: str) -> Setup:
    return story("2021-03-20-hostile", story_text("光伏板", date="2021-03-20", body=text))


CASES: dict[str, Setup] = {
    "nothing wrong": lambda root: None,
    **{f"body {name}": body(payload) for name, payload in hostilekit.PAYLOADS.items()},
    "markup in fields": story("2021-03-21-fields", hostilekit.markup_fields_story()),
    "script in docs/index.md": docs_file("index.md", "# 首页\n\n<script>alert(1)</script>\n"),
    "page outside content folders": docs_file("about.md", hostilekit.hostile_page()),
    "html file in docs": docs_file("evil.html", "<script>alert(1)</script>"),
    "svg in assets": docs_file("assets/evil.svg", '<svg onload="alert(1)"/>'),
    "symlinked story folder": symlinked_story,
    "symlink loop": symlink_loop,
    "asset linked outside docs": asset_outside_docs,
    "mobile in folder name": story(
        "2021-03-22-13812345678", story_text("光伏板", date="2021-03-22")
    ),
    "mobile with dots in summary": story(
        "2021-03-23-dots", story_text("光伏板", date="2021-03-23", summary="电话 138.1234.5678")
    ),
    "full-width mobile in a tag": story(
        "2021-03-24-tag",
        story_text("光伏板", date="2021-03-24", extra="tags: [１３８１２３４５６７８]\n"),
    ),
    "grouped id number in body": story(
        "2021-03-25-id", story_text("光伏板", date="2021-03-25", body="身份证 410102 19850312 009X")
    ),
    "control character in title": story(
        "2021-03-26-ctrl", story_text('"光伏\\x07板"', date="2021-03-26")
    ),
    "octal-looking village": story(
        "2021-03-27-octal", story_text("光伏板", date="2021-03-27", village="010")
    ),
    "date with a time": story(
        "2021-03-28-time", story_text("光伏板", date="2021-03-28 10:00:00+08:00")
    ),
    "merge key": story(
        "2021-03-29-merge",
        story_text("光伏板", date="2021-03-29", extra="base: &b {x: 1}\n<<: *b\n"),
    ),
    "huge number": story("2021-03-30-huge", story_text("光伏板", date="9" * 5000)),
    "hand-written gallery page": docs_file("gallery/index.md", "# 前后对比\n\n我们的相册。\n"),
    "page at a generated URL": docs_file("stories.md", "# 稿件\n\n全部稿件。\n"),
    "page under the media folder": docs_file("media/about.md", "# 关于图片\n"),
    "village one character from a story's": story(
        "2021-03-31-zhangzhuang", story_text("光伏板", date="2021-03-31", village="张庄")
    ),
    "redirect to a moved story": redirects(f"  2021-03-12-zhangzhuang: {FOLDER}\n"),
    "redirect to a missing story": redirects(f"  2021-03-12-zhangzhuang: {FOLDER}-x\n"),
    "redirect over a story still there": redirects(f"  {FOLDER}: 2021-03-12-zhangzhuang\n"),
    "redirect loop": redirects("  2021-01-01-a: 2021-01-02-b\n  2021-01-02-b: 2021-01-01-a\n"),
    "redirects.yml not YAML": redirects(f"  2021-03-12-zhangzhuang: {FOLDER}: x\n"),
}
# Cases that are fine as written: the check and the build both pass.
VALID_CASES = {"nothing wrong", "octal-looking village", "redirect to a moved story"}


@pytest.mark.parametrize("case", list(CASES))
def test_check_passes_exactly_when_the_build_does(case: str, tmp_path: Path) -> None:
    project = sitekit.make_project(tmp_path / "project", {FOLDER: story_text("张庄的光伏板")})
    CASES[case](project)
    checked = sitekit.check(project)
    built = sitekit.build(project, strict=True)
    assert checked.returncode in (0, 1), checked.stderr  # 1 is problems, anything else a crash
    assert "Traceback" not in checked.stdout + checked.stderr
    assert "Traceback" not in built.output
    assert (checked.returncode == 0) == (built.returncode == 0), (
        f"check exited {checked.returncode}, build {built.returncode}\n"
        f"check:\n{checked.stdout}{checked.stderr}\nbuild:\n{built.output}"
    )
    if case in VALID_CASES:
        assert built.returncode == 0, built.output
    else:
        assert built.returncode != 0, f"{case}: the strict build let it through"
        # The first problem check names is in the build's report too.
        reported = checked.stdout.splitlines()
        first = next(line for line in reported if line.startswith(("docs/", "redirects.yml:")))
        assert first.split(": ", 1)[0] in built.output


# -- make check STORY=… ----------------------------------------------------------------------

NEW = "2021-04-01-zhangzhuang-xin"


def check_story(project: Path, story: str) -> subprocess.CompletedProcess[str]:
    """`scripts/check <story>` (what `make check STORY=…` runs), from the project's root."""
    return subprocess.run(
        [
            sys.executable,
            str(sitekit.REPO_ROOT / "scripts" / "check"),
            "--config",
            str(project / "mkdocs.yml"),
            story,
        ],
        cwd=project,
        env=sitekit.mkdocs_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=sitekit.BUILD_TIMEOUT_SECONDS,
        check=False,
    )


def test_check_of_a_new_story_reports_the_url_clash_the_build_finds(tmp_path: Path) -> None:
    """The new story's village (张庄) is one character from an existing story's (张庄村): both
    would be /villages/kaifeng/lankao/zhangzhuang/, and the build rejects both stories."""
    project = sitekit.make_project(tmp_path / "project", {FOLDER: story_text("张庄的光伏板")})
    story(NEW, story_text("张庄的新路", date="2021-04-01", village="张庄"))(project)

    checked = check_story(project, f"docs/stories/{NEW}")
    built = sitekit.build(project, strict=True)

    assert built.returncode == 1
    assert checked.returncode == 1, checked.stdout + checked.stderr
    reported = [line for line in checked.stdout.splitlines() if line.startswith("docs/")]
    # Its own problem, and the existing story's, which names it.
    assert [line.split(":", 1)[0] for line in reported] == [
        f"docs/stories/{FOLDER}/index.md",
        f"docs/stories/{NEW}/index.md",
    ]
    for line in reported:
        assert "/villages/kaifeng/lankao/zhangzhuang/" in line
        assert line in built.output
    assert "共 2 个问题" in checked.stdout


def test_check_of_a_story_leaves_out_problems_of_others(tmp_path: Path) -> None:
    project = sitekit.make_project(tmp_path / "project", {FOLDER: story_text("张庄的光伏板")})
    story(NEW, story_text("写错活动", date="2021-04-01", activity="回乡看"))(project)

    checked = check_story(project, f"docs/stories/{FOLDER}/index.md")

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"已检查 docs/stories/{FOLDER}，可以发布。" in checked.stdout
    assert check_story(project, f"docs/stories/{NEW}").returncode == 1


@pytest.mark.parametrize(
    "argument", ["docs/villages", "docs", "README.md", "/etc", "docs/stories", "../project"]
)
def test_check_refuses_a_path_outside_docs_stories_in_one_line(
    tmp_path: Path, argument: str
) -> None:
    project = sitekit.make_project(tmp_path / "project", {FOLDER: story_text("张庄的光伏板")})
    (project / "docs" / "villages").mkdir()

    checked = check_story(project, argument)

    assert checked.returncode == 2
    assert checked.stdout == ""
    (line,) = checked.stderr.splitlines()
    assert line.startswith(f"{argument}: 不是 docs/stories/ 里的稿件文件夹")
    assert "make check STORY=docs/stories/" in line
