"""A city's progress page stays bounded: past 100 stories it links the first 100, grouped by
county, and sends the reader to the city's story listing for the rest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from huatuopin import urls
from huatuopin.gazetteer import load_gazetteer
from huatuopin.views.progress import ProgressCityView, progress_views
from storykit import catalog, write_story


def _city_page(root: Path) -> ProgressCityView:
    views, _files = progress_views(catalog(root), load_gazetteer())
    found = [v for v in views if v.url == urls.progress_city("kaifeng")]
    assert len(found) == 1 and isinstance(found[0], ProgressCityView)
    return found[0]


def _write(root: Path, count: int) -> None:
    start = dt.date(2021, 1, 1)
    for n in range(count):
        date = start + dt.timedelta(days=n)
        write_story(root, {"date": date, "title": f"第{n + 1}篇"}, folder=f"{date}-s{n}")


def test_a_city_of_more_than_100_stories_links_100_and_its_listing(tmp_path: Path) -> None:
    _write(tmp_path, 101)
    page = _city_page(tmp_path)
    links = [link for group in page.stories for link in group.links]
    assert len(links) == 100
    assert "第1篇" not in {link.text for link in links}  # the newest are linked
    assert page.more_url == urls.city_stories("kaifeng")
    assert page.story_count == 101


def test_a_city_of_100_stories_links_every_one(tmp_path: Path) -> None:
    _write(tmp_path, 100)
    page = _city_page(tmp_path)
    assert sum(len(group.links) for group in page.stories) == 100
    assert page.more_url is None
