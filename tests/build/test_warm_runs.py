"""The build tests run `mkdocs build` and scripts/check warm (tests/runkit.py): forked from a
process that has imported MkDocs, Material and jieba already. A warm run must be the command a
contributor runs: same exit code and output as a cold one, the project's own package, its own
working directory, environment and sys.path, and nothing of the tests on it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import runkit
import sitekit

FOLDER = "2021-03-12-zhangzhuang-guangfu"
# A hook listed after the site's: prints where the run's huatuopin, working directory and
# environment come from, and whether anything of the tests is importable.
WHERE_HOOK = """
import importlib.util, os, sys
import huatuopin

print("huatuopin from", huatuopin.__file__)
print("cwd", os.getcwd())
print("marker", os.environ.get("RUNKIT_MARKER"))
print("tests importable", importlib.util.find_spec("sitekit") is not None)
print("argv0", sys.argv[0])
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = sitekit.make_project(
        tmp_path / "project",
        {
            FOLDER: sitekit.story_text("张庄的光伏板"),
            "2021-03-13-cuowu": sitekit.story_text("活动写错了", activity="回乡看"),
        },
    )
    (project / "hooks" / "where.py").write_text(WHERE_HOOK, encoding="utf-8")
    sitekit.override_config(project, {"hooks": ["hooks/site_hooks.py", "hooks/where.py"]})
    return project


def cold(project: Path, argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_a_warm_build_is_the_cold_build(project: Path) -> None:
    env = {**sitekit.mkdocs_env(), "RUNKIT_MARKER": "这一次"}
    command = runkit.mkdocs("build", "--strict", "-d", str(project / "site"))
    warm = runkit.run(command, cwd=project, env=env, timeout=300)
    plain = cold(project, command.argv(), env)
    assert (warm.returncode, plain.returncode) == (1, 1)
    assert warm.stdout == plain.stdout
    assert problem_lines(warm.stderr) == problem_lines(plain.stderr) != []
    assert where(warm.stdout) == where(plain.stdout)
    hooks = project.resolve() / "hooks"
    assert where(warm.stdout)[:4] == [
        f"huatuopin from {hooks / 'huatuopin' / '__init__.py'}",
        f"cwd {project.resolve()}",
        "marker 这一次",
        "tests importable False",
    ]
    assert where(warm.stdout)[4].endswith("/mkdocs/__main__.py")


def test_a_warm_check_is_the_cold_check(project: Path) -> None:
    env = sitekit.mkdocs_env()
    command = runkit.script(
        sitekit.REPO_ROOT / "scripts" / "check", "--config", str(project / "mkdocs.yml")
    )
    warm = runkit.run(command, cwd=project, env=env, timeout=300)
    plain = cold(project, command.argv(), env)
    assert (warm.returncode, warm.stdout, warm.stderr) == (
        plain.returncode,
        plain.stdout,
        plain.stderr,
    )
    assert warm.returncode == 1 and "回乡看" in warm.stdout


def problem_lines(output: str) -> list[str]:
    """The build's own report, without timings."""
    return [line for line in output.splitlines() if "docs/stories/" in line or "构建中止" in line]


def where(output: str) -> list[str]:
    """What the hook printed."""
    prefixes = ("huatuopin from ", "cwd ", "marker ", "tests importable ", "argv0 ")
    return [line for line in output.splitlines() if line.startswith(prefixes)]
