"""Progress figures through a real build of a synthetic site of known composition: every city
(two with nothing yet), every activity and form, months January–July, pairs, talks in every
status, a draft and a rejected story that must not count. The expected figures are counted here
from the sources as written, not by `progress.figures`, and compared with the /progress/ table,
the CSV, the XLSX, a city's page and the .docx of `make report` (scripts/report)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import mediakit
import openpyxl
import pytest
import sitekit
from huatuopin.gazetteer import load_gazetteer

from tests.unit import troupekit
from tests.unit.storykit import front_matter, render

ACTIVITIES = ("入户访", "大家谈", "回村看", "亮成果", "话未来")
FORMS = ("文章", "摄影", "视频", "微宣讲", "戏剧", "歌曲", "诗歌", "曲艺")
HEADINGS = [
    "城市",
    "入户访",
    "大家谈",
    "回村看",
    "亮成果",
    "话未来",
    "作品合计",
    "覆盖村庄",
    "对比照片组",
    "宣讲已完成",
    "宣讲计划",
]
VILLAGES = ("张庄村", "李庄村", "王庄村")
EMPTY_CITIES = 2  # the last cities of the gazetteer get nothing
UNTIL = dt.date(2021, 2, 15)
STATUSES = ("已完成", "计划", "取消")


@dataclass(frozen=True)
class Spec:
    """One published story as written."""

    folder: str
    city: str
    county: str
    village: str
    activity: str
    form: str
    date: dt.date
    pairs: int
    title: str


@dataclass(frozen=True)
class TalkSpec:
    id: str
    city: str
    county: str
    date: dt.date
    status: str


def _specs() -> tuple[list[Spec], list[TalkSpec]]:
    gazetteer = load_gazetteer()
    cities = list(gazetteer.cities.values())
    stories: list[Spec] = []
    talks: list[TalkSpec] = []
    n = 0
    for index, city in enumerate(cities[: len(cities) - EMPTY_CITIES]):
        county = next(iter(city.counties.values())).name
        for k in range(index % 4 + 1):
            month = 1 + n % 7
            date = dt.date(2021, month, 1 + (n * 3) % 27)
            stories.append(
                Spec(
                    folder=f"{date.isoformat()}-c{index}-s{k}",
                    city=city.name,
                    county=county,
                    village=VILLAGES[k % len(VILLAGES)] if k < 3 else VILLAGES[0],
                    activity=ACTIVITIES[n % 5],
                    form=FORMS[n % 8],
                    date=date,
                    pairs=(2 if n % 12 == 0 else 1) if n % 6 == 0 else 0,
                    title=f"测试作品第{n + 1}篇",
                )
            )
            n += 1
        if index < 9:
            talks.append(
                TalkSpec(
                    f"talk-{index}",
                    city.name,
                    county,
                    dt.date(2021, 2, 1) + dt.timedelta(days=index * 3),
                    STATUSES[index % 3],
                )
            )
    return stories, talks


STORIES, TALKS = _specs()


def expected_row(name: str, stories: list[Spec], talks: list[TalkSpec]) -> list[str]:
    activities = Counter(s.activity for s in stories)
    statuses = Counter(t.status for t in talks)
    return [
        name,
        *(str(activities[a]) for a in ACTIVITIES),
        str(len(stories)),
        str(len({(s.city, s.county, s.village) for s in stories})),
        str(sum(s.pairs for s in stories)),
        str(statuses["已完成"]),
        str(statuses["计划"]),
    ]


def expected_rows(until: dt.date | None = None) -> list[list[str]]:
    stories = [s for s in STORIES if until is None or s.date <= until]
    talks = [t for t in TALKS if until is None or t.date <= until]
    rows = [
        expected_row(
            city,
            [s for s in stories if s.city == city],
            [t for t in talks if t.city == city],
        )
        for city in load_gazetteer().cities
    ]
    return [*rows, expected_row("全省合计", stories, talks)]


def _story_text(spec: Spec, **extra: Any) -> str:
    data = front_matter(
        {
            "title": spec.title,
            "date": spec.date,
            "activity": spec.activity,
            "city": spec.city,
            "county": spec.county,
            "village": spec.village,
            "form": spec.form,
            **extra,
        }
    )
    data.pop("township", None)
    if spec.pairs:
        data["pairs"] = [
            {
                "before": f"before{p}.jpg",
                "after": f"after{p}.jpg",
                "before_year": 2016,
                "after_year": 2021,
                "theme": "住房",
                "caption": f"第{p + 1}组前后对比",
            }
            for p in range(spec.pairs)
        ]
        data["consent"] = True
    return render(data)


def _project(root: Path) -> Path:
    stories = {spec.folder: _story_text(spec) for spec in STORIES}
    files: dict[str, bytes] = {}
    photo = mediakit.small_jpeg((320, 240))
    for spec in STORIES:
        for p in range(spec.pairs):
            files[f"{spec.folder}/before{p}.jpg"] = photo
            files[f"{spec.folder}/after{p}.jpg"] = photo
    kaifeng = STORIES[1]  # a story of 开封市 to copy
    assert kaifeng.city == "开封市"
    draft = Spec(
        "2021-01-20-draft",
        "开封市",
        kaifeng.county,
        "草稿村",
        "入户访",
        "文章",
        dt.date(2021, 1, 20),
        0,
        "草稿不计",
    )
    stories[draft.folder] = _story_text(draft, draft=True)
    rejected = Spec(
        "2021-01-21-rejected",
        "开封市",
        kaifeng.county,
        "问题村",
        "入户访",
        "文章",
        dt.date(2021, 1, 21),
        0,
        "有问题不计",
    )
    stories[rejected.folder] = _story_text(rejected, activity="回乡看")
    project = sitekit.make_project(root, stories, files=files)
    schedule = [
        troupekit.talk(
            t.id,
            date=t.date.isoformat(),
            city=t.city,
            county=t.county,
            village=None,
            venue=f"会场{t.id}",
            status=t.status,
        )
        for t in TALKS
    ]
    troupekit.write(project, {"all.yml": schedule})
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> sitekit.BuildResult:
    project = _project(tmp_path_factory.mktemp("progress") / "project")
    # Not strict: the rejected story must stop `--strict`, and the rest is still published.
    result = sitekit.build(project, strict=False)
    assert result.returncode == 0, result.output
    assert "回乡看" in result.output  # the rejected story was reported, not silently dropped
    return result


class Tables(HTMLParser):
    """The text of every table cell, row by row, of the tables with class pg-table."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_table = False
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and "pg-table" in (dict(attrs).get("class") or ""):
            self.in_table = True
        elif self.in_table and tag == "tr":
            self.rows.append([])
        elif self.in_table and tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.in_table = False
        elif self.cell is not None and tag in ("th", "td"):
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table_of(html: str) -> list[list[str]]:
    parser = Tables()
    parser.feed(html)
    return parser.rows


def test_the_synthetic_site_has_what_the_figures_must_tell_apart() -> None:
    assert {s.activity for s in STORIES} == set(ACTIVITIES)
    assert {s.form for s in STORIES} == set(FORMS)
    assert {s.date.month for s in STORIES} == set(range(1, 8))
    assert {t.status for t in TALKS} == set(STATUSES)
    assert any(s.pairs == 2 for s in STORIES) and any(s.pairs == 1 for s in STORIES)
    rows = expected_rows()
    assert [r[6] for r in rows[-EMPTY_CITIES - 1 : -1]] == ["0"] * EMPTY_CITIES
    # Two stories of one village count it once.
    assert any(int(r[7]) < int(r[6]) for r in rows[:-1])


def test_progress_page_table_equals_the_sources(built: sitekit.BuildResult) -> None:
    html = (built.site_dir / "progress" / "index.html").read_text(encoding="utf-8")
    rows = table_of(html)
    assert rows[0] == HEADINGS
    assert rows[1:] == expected_rows()
    assert "已取消的宣讲不计" in html and "草稿" in html  # the counting rules are on the page
    # A chart per city, months January to July, every figure also written out.
    assert html.count("每月作品数</title>") == len(load_gazetteer().cities)
    kaifeng = [s for s in STORIES if s.city == "开封市"]
    months = Counter(s.date.month for s in kaifeng)
    described = "；".join(f"{m}月 {months[m]} 篇" for m in range(1, 8))
    assert described in html


def test_csv_and_xlsx_equal_the_sources(built: sitekit.BuildResult) -> None:
    raw = (built.site_dir / "progress" / "progress.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel and WPS need for UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [HEADINGS, *expected_rows()]

    book = openpyxl.load_workbook(built.site_dir / "progress" / "progress.xlsx")
    sheet = book.active
    values = [
        [("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert values == [HEADINGS, *expected_rows()]
    assert all(sheet.column_dimensions[c].width for c in "ABK")


def test_xlsx_is_the_same_bytes_from_the_same_sources(
    built: sitekit.BuildResult, tmp_path: Path
) -> None:
    again = sitekit.build(built.site_dir.parent, strict=False, site_dir=tmp_path / "site")
    assert again.returncode == 0, again.output
    for name in ("progress.xlsx", "progress.csv"):
        first = (built.site_dir / "progress" / name).read_bytes()
        assert (tmp_path / "site" / "progress" / name).read_bytes() == first


def test_city_page_shows_its_figures_villages_talks_and_every_story(
    built: sitekit.BuildResult,
) -> None:
    html = (built.site_dir / "progress" / "kaifeng" / "index.html").read_text(encoding="utf-8")
    rows = table_of(html)
    expected = [r for r in expected_rows() if r[0] == "开封市"]
    assert rows == [HEADINGS, *expected]
    kaifeng = [s for s in STORIES if s.city == "开封市"]
    for spec in kaifeng:
        assert f'href="../../stories/{spec.folder}/"' in html, spec.folder
    # Its villages by county: the county's villages' page, with how many and their stories
    # (a city has hundreds of villages: no page lists them all).
    for county in {s.county for s in kaifeng}:
        here = [s for s in kaifeng if s.county == county]
        note = f"{len({s.village for s in here})} 个村 · {len(here)} 篇"
        assert re.search(rf">{county}</a>\s*<span class=\"pg-note\">{note}</span>", html)
    assert "草稿不计" not in html and "有问题不计" not in html
    for talk in TALKS:
        if talk.city == "开封市" and talk.status != "取消":
            assert f"{talk.date.year}年{talk.date.month}月{talk.date.day}日" in html
    # A city with nothing yet has its page too, saying so.
    empty = list(load_gazetteer().cities.values())[-1]
    empty_html = (built.site_dir / "progress" / empty.slug / "index.html").read_text("utf-8")
    assert table_of(empty_html)[1] == expected_row(empty.name, [], [])
    assert "还没有发布的作品" in empty_html


def _report(project: Path, *args: str) -> Any:
    return sitekit.run_script("report", project, *args)


def test_report_figures_equal_the_sources_up_to_the_day(built: sitekit.BuildResult) -> None:
    project = built.site_dir.parent
    done = _report(project, "--city", "开封市", "--until", UNTIL.isoformat())
    assert done.returncode == 0, done.stdout + done.stderr
    path = project / "reports" / f"kaifeng-{UNTIL.isoformat()}.docx"
    assert path.name in done.stdout
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == ("开封市“话脱贫、感党恩、奋进新时代”主题活动推进情况总结（截至 2021-02-15）")
    figures = document.tables[0]
    cells = [[c.text for c in row.cells] for row in figures.rows]
    expected = [r for r in expected_rows(UNTIL) if r[0] == "开封市"]
    assert cells == [HEADINGS, *expected]
    assert expected != [r for r in expected_rows() if r[0] == "开封市"]  # the day matters

    kaifeng = sorted(
        (s for s in STORIES if s.city == "开封市" and s.date <= UNTIL), key=lambda s: s.date
    )
    story_table = next(
        t
        for t in document.tables
        if t.rows[0].cells[0].text == "日期" and t.rows[0].cells[1].text == "标题"
    )
    listed = [[c.text for c in row.cells] for row in story_table.rows[1:]]
    assert [(r[0], r[1], r[3]) for r in listed] == [
        (s.date.isoformat(), s.title, s.form) for s in kaifeng
    ]
    assert all(r[5].endswith(f"/stories/{s.folder}/") for r, s in zip(listed, kaifeng, strict=True))
    talks = [t for t in TALKS if t.city == "开封市" and t.date <= UNTIL and t.status != "取消"]
    talk_table = next(t for t in document.tables if t.rows[0].cells[-1].text == "状态")
    assert [(r.cells[0].text, r.cells[3].text) for r in talk_table.rows[1:]] == [
        (t.date.isoformat(), t.status) for t in talks
    ]
    for heading in ("工作开展情况", "主要成效", "存在问题", "下一步打算"):
        at = next(i for i, text in enumerate(texts) if text.endswith(heading))
        assert texts[at + 1].startswith("（请填写")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--city", "开封", "--until", "2021-02-15"), "CITY：“开封”不是河南的省辖市"),
        (("--city", "开封市", "--until", "2021-02-30"), "UNTIL：“2021-02-30”不是日期"),
        (("--until", "2021-02-15"), "请写明城市"),
    ],
)
def test_report_refuses_an_unknown_city_or_a_bad_date_in_chinese(
    built: sitekit.BuildResult, args: tuple[str, ...], message: str
) -> None:
    done = _report(built.site_dir.parent, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
