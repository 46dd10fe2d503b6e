"""Village page specs: the generated pages, the index's grouping, the income chart's geometry
and the 话未来 section taken out of a profile's body."""

from __future__ import annotations

from pathlib import Path

import pytest
import storykit
from huatuopin.catalog import Catalog, build_catalog
from huatuopin.gazetteer import load_gazetteer
from huatuopin.media.pipeline import MediaPublication
from huatuopin.settings import CampaignSettings
from huatuopin.views.income_chart import CHART_MIN_WIDTH, format_amount, income_chart
from huatuopin.views.village_directory import village_directory
from huatuopin.views.villages import split_plans, village_views
from huatuopin.villages.records import IncomeYear

PROFILE = """---
name: 张庄村
township: 东坝头镇
county: 兰考县
city: 开封市
income:
  2016: 0.5
  2020: 43.6
---

## 村情

黄河故道边的村子。
"""


def make_catalog(root: Path) -> Catalog:
    profile = root / "docs" / "villages" / "kaifeng" / "lankao" / "zhangzhuang.md"
    profile.parent.mkdir(parents=True)
    profile.write_text(PROFILE, "utf-8")
    storykit.write_story(root, folder="2021-03-12-a")
    storykit.write_story(
        root,
        {"village": "寨子村", "city": "三门峡市", "county": "卢氏县", "township": "横涧乡"},
        folder="2021-03-13-b",
    )
    result = build_catalog(root, root / "docs", CampaignSettings(), include_drafts=False)
    assert result.problems == (), storykit.problems_text(result.problems)
    return result


def test_generated_pages(tmp_path: Path) -> None:
    catalog = make_catalog(tmp_path)
    gazetteer = load_gazetteer()
    views = village_views(catalog, MediaPublication(), gazetteer)
    pages = {view.src_uri: view for view in views if view.generated}
    assert pages["villages/index.md"].template == "village-index.html"
    # A page for every city, with villages or not, so a city's URL exists from the start.
    for city in gazetteer.cities.values():
        page = pages[f"villages/{city.slug}/index.md"]
        assert page.template == "village-city.html"
        assert page.context()["city"].name == city.name
    # The village without a profile is generated; the one with a profile is its own file.
    zhaizi = pages["villages/sanmenxia/lushi/zhaizi/index.md"]
    assert (zhaizi.template, zhaizi.searchable) == ("village.html", True)
    assert zhaizi.url == "villages/sanmenxia/lushi/zhaizi/"
    assert not any("zhangzhuang" in uri for uri in pages)
    assert all(uri.isascii() for uri in pages)
    sources = {view.src_uri for view in views if not view.generated}
    assert sources == {"villages/kaifeng/lankao/zhangzhuang.md"}


def test_directory_groups_by_city_then_county(tmp_path: Path) -> None:
    catalog = make_catalog(tmp_path)
    directory = {group.name: group for group in village_directory(catalog, load_gazetteer()).cities}
    kaifeng = directory["开封市"]
    assert [c.name for c in kaifeng.counties] == ["兰考县"]
    assert [v.name for v in kaifeng.counties[0].villages] == ["张庄村"]
    assert (kaifeng.village_count, kaifeng.story_count) == (1, 1)
    assert directory["郑州市"].counties == ()
    assert kaifeng.url == "villages/kaifeng/"


@pytest.mark.parametrize(
    ("amount", "text"),
    [(35.0, "35"), (3.5, "3.5"), (0.856, "0.86"), (0.0, "0"), (120.25, "120.25")],
)
def test_format_amount(amount: float, text: str) -> None:
    assert format_amount(amount) == text


def test_chart_bars_are_proportional_and_inside_the_drawing() -> None:
    income = [IncomeYear(2016, 0.5), IncomeYear(2018, 20.0), IncomeYear(2020, 40.0)]
    chart = income_chart(income)
    assert chart is not None
    assert chart.width == CHART_MIN_WIDTH
    assert [b.year for b in chart.bars] == [2016, 2018, 2020]
    assert [b.label for b in chart.bars] == ["0.5", "20", "40"]
    tallest = chart.bars[-1]
    assert chart.bars[1].height == pytest.approx(tallest.height / 2, abs=0.1)
    assert chart.bars[0].height >= 2  # a small income is still visible
    for bar in chart.bars:
        assert bar.x >= 0 and bar.x + bar.width <= chart.width
        assert bar.y + bar.height == pytest.approx(chart.baseline)
        assert bar.y - 6 > 0  # room for the value above the bar
    assert chart.year_y < chart.height
    assert chart.summary == "村集体经济收入从 2016 年的 0.5 万元增加到 2020 年的 40 万元。"


def test_chart_of_many_years_grows_instead_of_squeezing() -> None:
    income = [IncomeYear(year, float(year - 2005)) for year in range(2006, 2021)]
    chart = income_chart(income)
    assert chart is not None and chart.width > CHART_MIN_WIDTH
    widths = {bar.width for bar in chart.bars}
    assert min(widths) >= 20


def test_chart_edge_cases() -> None:
    assert income_chart([]) is None
    zero = income_chart([IncomeYear(2019, 0.0), IncomeYear(2020, 0.0)])
    assert zero is not None and all(bar.height == 0 for bar in zero.bars)
    assert "保持在" in zero.summary
    one = income_chart([IncomeYear(2020, 12.5)])
    assert one is not None and one.summary == "2020 年村集体经济收入 12.5 万元。"
    down = income_chart([IncomeYear(2019, 80.0), IncomeYear(2020, 57.6)])
    assert down is not None and "减少到 2020 年的 57.6 万元" in down.summary


def test_split_plans_takes_out_the_hua_wei_lai_section() -> None:
    html = (
        '<h2 id="_1">村情</h2>\n<p>村子。</p>\n'
        '<h2 id="_2">话未来：十四五打算</h2>\n<p>修路。</p>\n'
        '<h2 id="_3">附记</h2>\n<p>后记。</p>'
    )
    intro, plans = split_plans(html)
    assert plans == '<h2 id="_2">话未来：十四五打算</h2>\n<p>修路。</p>\n'
    assert "修路" not in intro and "村子" in intro and "后记" in intro


def test_split_plans_without_the_section_keeps_everything() -> None:
    html = "<h2>村情</h2><p>村子。</p>"
    assert split_plans(html) == (html, "")
