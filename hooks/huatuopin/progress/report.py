"""A city's 推进情况总结 draft as .docx (`make report CITY=… UNTIL=…`): the figures up to a day
in the same tables as /progress/, its stories and talks, and headed empty sections for the
city's own words. Counted by `progress.figures`, so its figures equal /progress/ on that day."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt, RGBColor

from ..views.address import SiteAddress
from ..vocab import FORMS
from .figures import MONTHS, CityProgress
from .spreadsheets import fixed_zip_times
from .table import HEADINGS, RULES, numbers

CAMPAIGN = "“话脱贫、感党恩、奋进新时代”"
STORY_HEADINGS = ("日期", "标题", "村庄", "形式", "作者", "网址")
TALK_HEADINGS = ("日期", "地点", "宣讲人", "状态")
# The sections the city writes itself, each with a hint of what goes in it.
OWN_WORDS: tuple[tuple[str, str], ...] = (
    ("工作开展情况", "（请填写：组织发动、五项活动的开展方式和进度，可举典型事例。）"),
    ("主要成效", "（请填写：群众反响、宣传报道、形成的作品和经验做法。）"),
    ("存在问题", "（请填写：工作中遇到的困难和不足。）"),
    ("下一步打算", "（请填写：二季度至 7 月的工作安排和重点。）"),
)
HINT_GREY = RGBColor(0x80, 0x80, 0x80)
# Fixed document properties: the same sources give the same text and metadata.
FIXED_TIME = dt.datetime(2021, 1, 1)


def title_of(city: str, until: dt.date) -> str:
    return f"{city}{CAMPAIGN}主题活动推进情况总结（截至 {until.isoformat()}）"


def report_docx(city: CityProgress, until: dt.date, address: SiteAddress) -> bytes:
    name = city.city.name
    document = Document()
    properties = document.core_properties
    properties.title = title_of(name, until)
    properties.author = CAMPAIGN
    properties.last_modified_by = ""
    properties.created = FIXED_TIME
    properties.modified = FIXED_TIME
    properties.revision = 1

    document.add_heading(title_of(name, until), level=0)
    figures = city.figures
    document.add_heading(f"一、主要数据（截至 {until.isoformat()}）", level=1)
    _table(document, HEADINGS, [(name, *numbers(figures))])
    document.add_paragraph("")
    _table(
        document,
        ("月份", "作品数"),
        [(f"{m}月", n) for m, n in zip(MONTHS, figures.by_month, strict=True)],
    )
    document.add_paragraph("")
    _table(
        document,
        ("作品形式", "作品数"),
        [(f, n) for f, n in zip(FORMS, figures.by_form, strict=True)],
    )
    document.add_paragraph("统计口径：")
    for rule in RULES:
        document.add_paragraph(rule, style="List Bullet")

    document.add_heading("二、作品清单", level=1)
    stories = sorted(city.stories, key=lambda s: s.sort_key)
    if stories:
        _table(
            document,
            STORY_HEADINGS,
            [
                (
                    s.date.isoformat(),
                    s.title,
                    " ".join(s.place.trail[1:]) or s.village.name,
                    s.form,
                    "、".join(a.name for a in s.authors),
                    address.absolute(s.url),
                )
                for s in stories
            ],
        )
    else:
        document.add_paragraph("截至该日还没有发布的作品。")

    document.add_heading("三、宣讲活动", level=1)
    if city.talks:
        _table(
            document,
            TALK_HEADINGS,
            [
                (
                    t.date.isoformat(),
                    " ".join(p for p in (t.area.county, t.village_name or "", t.venue) if p),
                    "、".join(m.name for m in t.speakers),
                    t.status,
                )
                for t in city.talks
            ],
        )
    else:
        document.add_paragraph("截至该日还没有已完成或计划中的宣讲。")

    for number, (heading, hint) in zip("四五六七", OWN_WORDS, strict=True):
        document.add_heading(f"{number}、{heading}", level=1)
        run = document.add_paragraph().add_run(hint)
        run.font.color.rgb = HINT_GREY
        run.font.size = Pt(10.5)
    out = io.BytesIO()
    document.save(out)
    return fixed_zip_times(out.getvalue())


def _table(
    document: DocxDocument, headings: Sequence[str], rows: Sequence[Sequence[str | int]]
) -> None:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.text = heading
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
