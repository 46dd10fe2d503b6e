"""The progress table as files the office opens in Excel or WPS: CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .figures import Progress
from .table import HEADINGS, rows

# A fixed timestamp: the same sources give the same bytes (DESIGN.md, "Deterministic output").
FIXED_TIME = dt.datetime(2021, 1, 1)
ZIP_TIME = (2021, 1, 1, 0, 0, 0)
CORE_PROPERTIES = "docProps/core.xml"
MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
FIXED_STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
SHEET_TITLE = "推进情况"
CITY_WIDTH = 14
FIGURE_WIDTH = 11


def progress_csv(progress: Progress) -> bytes:
    """UTF-8 with a BOM: without it Excel reads the Chinese as another encoding."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    writer.writerows(rows(progress))
    return out.getvalue().encode("utf-8-sig")


def progress_xlsx(progress: Progress) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append(list(HEADINGS))
    for row in rows(progress):
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    for index in range(1, len(HEADINGS) + 1):
        width = CITY_WIDTH if index == 1 else FIGURE_WIDTH
        sheet.column_dimensions[get_column_letter(index)].width = width
    properties = book.properties
    properties.creator = "话脱贫、感党恩、奋进新时代"
    properties.title = "各省辖市推进情况"
    properties.created = FIXED_TIME
    properties.modified = FIXED_TIME
    properties.lastModifiedBy = None
    raw = io.BytesIO()
    book.save(raw)
    return fixed_zip_times(raw.getvalue())


def fixed_zip_times(data: bytes) -> bytes:
    """openpyxl stamps every zip entry with the time of saving (and docProps/core.xml with
    now as `modified`): rewrite the entries with a fixed time so the bytes repeat."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == CORE_PROPERTIES:
                content = MODIFIED.sub(rb"\g<1>" + FIXED_STAMP + rb"\g<2>", content)
            target.writestr(fixed, content)
    return out.getvalue()
