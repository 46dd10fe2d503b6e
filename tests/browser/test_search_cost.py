"""The bench's search measurements on the sample site: the first query measured through
the repository's nginx on the phone, and the sharded Material estimate for the same query."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import sitekit
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
