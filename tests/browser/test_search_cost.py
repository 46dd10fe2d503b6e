"""The bench's search measurements on the sample site: the first query measured through
the repository's nginx on the phone, and the sharded Material estimate for the same query."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from random import Random

import pytest
import sitekit
from huatuopin.search.indexing import index_site
from playwright.sync_api import Browser

sys.path.insert(0, str(sitekit.REPO_ROOT / "scripts"))

from benchmarks import search_cost

pytestmark = pytest.mark.browser

QUERY = "张庄村"
VILLAGE = "/villages/kaifeng/lankao/zhangzhuang/"


@pytest.mark.skipif(sitekit.missing_here("nginx"), reason="nginx is not installed here")
def test_a_first_query_costs_only_the_search_files_it_fetched(
    sample_site: sitekit.StaticSite, browser: Browser
) -> None:
    site_dir = Path(sample_site.site_dir)
    cost = search_cost.first_query_cost(site_dir, QUERY, browser)

    assert cost.top_urls[0] == VILLAGE
    paths = [file.path for file in cost.files]
    assert all(path.startswith("search-index/") for path in paths), paths
    assert "search-index/manifest.json" in paths
    names = [path.rpartition("/")[2] for path in paths]
    assert "t0.json" in names  # the sample site's index is one shard
    assert any(name.startswith("d") for name in names)  # the records of the results
    # Sizes as nginx sends them: gzip-6 of the JSON.
    manifest = site_dir / "search-index" / "manifest.json"
    by_path = {file.path: file.bytes for file in cost.files}
    assert 0 < by_path["search-index/manifest.json"] != manifest.stat().st_size
    assert cost.bytes == sum(by_path.values()) and cost.requests == len(paths)


def test_the_sharded_material_estimate_names_what_it_would_fetch(
    sample_site: sitekit.StaticSite,
) -> None:
    cost = search_cost.sharded_material_estimate(Path(sample_site.site_dir), QUERY)

    assert cost.top_urls[0] == VILLAGE
    paths = [file.path for file in cost.files]
    assert paths[0].startswith("assets/javascripts/workers/search.")
    assert "search/manifest.json" in paths
    assert any(path.startswith("search/shard-") for path in paths)
    assert any(path.startswith("search/docs-") for path in paths)
    assert all(file.bytes > 0 for file in cost.files)


# -- what a first query costs as the site grows ----------------------------------------------

SYLLABLES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶"
PLACES = "庄屯营寨湾沟坡岭河桥店集堡洼岗"
WORDS = ["光伏", "合作社", "脱贫", "小额信贷", "驻村工作队", "群众会", "十四五", "石榴", "电商"]


def synthetic_index(site_dir: Path, pages: int) -> str:
    """The sample site with its index made from `pages` synthetic stories and villages (every
    fifth page a village, named with weight 10); returns a village name unique in it."""
    records = site_dir.parent / f"records-{pages}"
    random = Random(pages)
    unique = ""
    for number in range(pages):
        name = "".join(random.choice(SYLLABLES) for _ in range(2)) + random.choice(PLACES) + "村"
        words = " ".join(random.sample(WORDS, 4))
        village = number % 5 == 0
        if village and not unique and number > pages // 2:
            name = unique = "北黄屯村"
        folder = records / ("villages" if village else "stories") / f"p{number}"
        folder.mkdir(parents=True)
        weight = (
            f'<span data-search-unshown data-search-weight="10">{name}</span>' if village else ""
        )
        (folder / "index.html").write_text(
            f'<html><body><div data-search-body><span data-search-meta="title">{name}{number}'
            f"</span><h1>{name}{number}</h1><p>某市 › 某县 › {name} {words}</p>{weight}"
            "</div></body></html>",
            encoding="utf-8",
        )
    shutil.rmtree(site_dir / "search-index")
    index_site(site_dir, records)
    return unique


@pytest.mark.skipif(sitekit.missing_here("nginx"), reason="nginx is not installed here")
def test_a_first_query_costs_no_more_on_a_site_ten_times_larger(
    sample_site: sitekit.StaticSite, browser: Browser, tmp_path: Path
) -> None:
    costs = {}
    for pages in (2_000, 20_000):
        site_dir = tmp_path / f"site-{pages}"
        shutil.copytree(sample_site.site_dir, site_dir)
        query = synthetic_index(site_dir, pages)
        cost = search_cost.first_query_cost(site_dir, query, browser)
        assert cost.top_urls[0].startswith("/villages/"), cost
        costs[pages] = cost.bytes

    assert costs[20_000] < 1.5 * costs[2_000], costs
    assert costs[20_000] < 100_000, costs


@pytest.mark.skipif(sitekit.missing_here("nginx"), reason="nginx is not installed here")
def test_a_pasted_paragraph_fetches_a_bounded_number_of_shards(
    sample_site: sitekit.StaticSite, browser: Browser, tmp_path: Path
) -> None:
    site_dir = tmp_path / "site"
    shutil.copytree(sample_site.site_dir, site_dir)
    synthetic_index(site_dir, 5_000)
    paragraph = SYLLABLES * 2  # about 80 different pairs of characters

    cost = search_cost.first_query_cost(site_dir, paragraph, browser)

    shards = [file.path for file in cost.files if file.path.rpartition("/")[2].startswith("t")]
    assert 8 <= len(shards) <= 16, shards
