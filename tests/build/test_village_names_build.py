"""New villages beside similar profiled ones, through `make check` and a strict build.

A story about 龙上村 in 修武县, where 岸上村 has a profile, is a new village: both commands
pass, both show the same hint, and the village gets its page. A homophone that would take a
profile's URL (严魏村 beside 闫韦村 at yanwei.md) stops both at the same place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sitekit
from sitekit import line_of, story_text


def profile(name: str, township: str) -> str:
    return (
        f"---\nname: {name}\ntownship: {township}\ncounty: 修武县\ncity: 焦作市\n---\n\n{name}。\n"
    )


PROFILES = {"anshang.md": profile("岸上村", "云台山镇"), "yanwei.md": profile("闫韦村", "七贤镇")}
NEW = "2021-06-01-longshang"
NEW_STORY = story_text(
    "龙上村的新路", date="2021-06-01", city="焦作市", county="修武县", village="龙上村"
)
HINT = (
    f"docs/stories/{NEW}/index.md:{line_of(NEW_STORY, 'village:')}: village: "
    "修武县的“龙上村”还没有村庄资料，按新村庄发布（本县已有“岸上村”）；"
    "如果是写错了村名，请改成已有的村名"
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = sitekit.make_project(
        tmp_path_factory.mktemp("village-names") / "project", {NEW: NEW_STORY}
    )
    for name, text in PROFILES.items():
        path = root / "docs" / "villages" / "jiaozuo" / "xiuwu" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def test_a_new_village_passes_check_and_build_with_the_same_hint(project: Path) -> None:
    checked = sitekit.check(project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"提示 {HINT}" in checked.stdout.splitlines()
    one = sitekit.run_script("check", project, f"docs/stories/{NEW}")
    assert one.returncode == 0 and f"提示 {HINT}" in one.stdout.splitlines(), one.stdout

    built = sitekit.build(project, strict=True)
    assert built.returncode == 0, built.output
    assert HINT in built.output
    page = built.site_dir / "villages/jiaozuo/xiuwu/longshang/index.html"
    assert "龙上村的新路" in page.read_text("utf-8")


def test_a_homophone_taking_a_profiles_url_stops_check_and_build_alike(
    project: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("site"))
    folder = "2021-06-02-yanwei"
    text = story_text(
        "严魏村的麦田", date="2021-06-02", city="焦作市", county="修武县", village="严魏村"
    )
    (copy / "docs" / "stories" / folder).mkdir()
    (copy / "docs" / "stories" / folder / "index.md").write_text(text, "utf-8")
    where = f"docs/stories/{folder}/index.md:{line_of(text, 'village:')}: village: "

    checked = sitekit.check(copy)
    built = sitekit.build(copy, strict=True, site_dir=tmp_path / "site")
    assert checked.returncode == 1 and built.returncode != 0, checked.stdout + built.output
    for output in (checked.stdout, built.output):
        assert f"{where}修武县没有叫“严魏村”的村庄资料；是不是想写“闫韦村”？" in output
        assert "/villages/jiaozuo/xiuwu/yanwei/" in output
