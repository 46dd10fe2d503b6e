"""The release facts file a build writes (`.huatuopin/release.json`): what each story publishes
and which cache entries made it, for the deploy to check and to scrub with; nothing private."""

from __future__ import annotations

import json
import os
from pathlib import Path

import mediakit
import pytest
import sitekit
from huatuopin.media.cache import CACHE_ENV

PHOTO = "2021-03-12-zhangzhuang-photo"
PLAIN = "2021-03-13-zhangzhuang-plain"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = sitekit.make_project(
        tmp_path_factory.mktemp("facts") / "project",
        {
            PHOTO: sitekit.story_text(
                "光伏板上的收入账", extra="cover: cover.jpg\nconsent: true\n"
            ),
            PLAIN: sitekit.story_text("老党员的一笔账", date="2021-03-13"),
        },
        files={f"{PHOTO}/cover.jpg": mediakit.small_jpeg()},
    )
    returncode, output, site_dir = sitekit.build(project)
    assert returncode == 0, output
    return site_dir


def facts_of(site_dir: Path) -> dict:
    return json.loads((site_dir / ".huatuopin" / "release.json").read_text("utf-8"))


def test_each_story_lists_the_media_files_it_publishes_and_their_cache_entries(
    built: Path,
) -> None:
    facts = facts_of(built)

    assert facts["format"] == 1
    assert sorted(facts["stories"]) == [f"stories/{PHOTO}/", f"stories/{PLAIN}/"]
    photo = facts["stories"][f"stories/{PHOTO}/"]
    assert photo["media"] and all(path.startswith("media/") for path in photo["media"])
    assert all((built / path).is_file() for path in photo["media"])
    assert facts["stories"][f"stories/{PLAIN}/"] == {"media": [], "cache": []}
    [key] = photo["cache"]
    assert (Path(os.environ[CACHE_ENV]) / "entries" / f"{key}.json").is_file()
    # The release's media: exactly the derived files in site/media/ (and member photos).
    published = sorted(path.relative_to(built).as_posix() for path in (built / "media").iterdir())
    assert [path for path in facts["media"] if path.startswith("media/")] == published
    assert set(photo["cache"]) <= set(facts["cache"])
    assert (facts["withdrawn"], facts["redirects"], facts["corrections"]) == ({}, {}, {})


def test_the_facts_carry_no_titles_and_are_sorted(built: Path) -> None:
    text = (built / ".huatuopin" / "release.json").read_text("utf-8")

    assert "光伏板" not in text and "老党员" not in text
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
