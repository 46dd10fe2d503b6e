"""The site benchmark's generator: synthetic stories are valid, varied and deterministic.

The builds themselves are slow and run by `make bench`; here only the generated sources.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest
import yaml
from huatuopin.catalog import build_catalog
from huatuopin.project import load_project
from huatuopin.settings import CampaignSettings
from huatuopin.stories import folder_name_message
from huatuopin.vocab import ACTIVITIES

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))

from benchmarks import site_build  # noqa: E402
from benchmarks.synthetic_stories import (  # noqa: E402
    BODY_MAX,
    BODY_MIN,
    synthetic_stories,
    write_stories,
)


@pytest.fixture(scope="module")
def settings() -> CampaignSettings:
    return load_project(PROJECT_ROOT / "mkdocs.yml").settings


def test_synthetic_stories_pass_the_builds_validation(
    tmp_path: Path, settings: CampaignSettings
) -> None:
    stories = synthetic_stories(5, settings)
    write_stories(stories, tmp_path / "docs")

    catalog = build_catalog(tmp_path, tmp_path / "docs", settings, include_drafts=False)

    assert [str(p) for p in catalog.problems] == []
    assert len(catalog.stories) == 5
    assert {s.activity for s in catalog.stories} == {a.name for a in ACTIVITIES}


def test_synthetic_stories_follow_the_contract(settings: CampaignSettings) -> None:
    stories = synthetic_stories(90, settings)

    assert len({s.folder for s in stories}) == 90
    assert len({s.front_matter["city"] for s in stories}) == 18
    assert len({s.front_matter["form"] for s in stories}) >= 5
    for story in stories:
        assert folder_name_message(story.folder) is None, story.folder
        assert settings.start <= story.front_matter["date"] <= settings.end
        assert BODY_MIN <= len(story.body) <= BODY_MAX, story.folder
        assert story.body.count("\n## ") >= 2, story.folder
        assert "sample" not in story.front_matter and "cover" not in story.front_matter


def test_story_i_is_the_same_at_every_size(settings: CampaignSettings) -> None:
    small = [s.markdown() for s in synthetic_stories(5, settings)]
    large = [s.markdown() for s in synthetic_stories(8, settings)]

    assert large[:5] == small
    assert len(set(large)) == 8


def test_site_trees_hold_ours_and_bare_material(tmp_path: Path, settings: CampaignSettings) -> None:
    stories = synthetic_stories(5, settings)

    trees = site_build.prepare_trees(tmp_path / "stories-5", stories)

    assert trees.story_url == f"stories/{stories[0].folder}/"
    assert (trees.ours / "hooks" / "site_hooks.py").is_file()
    assert (trees.ours / "overrides" / "story.html").is_file()
    assert (trees.ours / "docs" / trees.story_url / "index.md").is_file()
    full_text = yaml.safe_load((trees.ours / site_build.FULL_TEXT_CONFIG).read_text("utf-8"))
    assert full_text["INHERIT"] == "mkdocs.yml"
    assert full_text["extra"]["campaign"]["search_full_text"] is True
    bare = yaml.safe_load((trees.bare / "mkdocs.yml").read_text("utf-8"))
    assert "hooks" not in bare and "nav" not in bare and "custom_dir" not in bare["theme"]
    assert "template:" not in (trees.bare / "docs" / "index.md").read_text("utf-8")
    assert (trees.bare / "docs" / trees.story_url / "index.md").is_file()


def test_sizes_option() -> None:
    assert site_build.parse_sizes("1000,100") == [100, 1000]
    with pytest.raises(argparse.ArgumentTypeError, match="positive"):
        site_build.parse_sizes("0,100")


def test_kept_folders_are_replaced_only_when_the_benchmark_made_them(tmp_path: Path) -> None:
    made = site_build.fresh_folder(tmp_path / "stories-5")
    (made / "old.html").write_text("x", "utf-8")
    assert list(site_build.fresh_folder(made).iterdir()) == [made / site_build.MARKER]

    (tmp_path / "mine").mkdir()
    with pytest.raises(site_build.BenchError, match="left alone"):
        site_build.fresh_folder(tmp_path / "mine")
