"""Village profiles: `docs/villages/<city-slug>/<county-slug>/<village-slug>.md`, validated.

The file's path is the village page's URL: its name is the village's slug, and its folders
must be the city's and county's slugs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..fields import FieldReader, describe_type, not_a_number_message, shorten
from ..gazetteer import City, County, Gazetteer
from ..models import Area, Place, VillageKey
from ..personaldata import find_personal_data, front_matter_problems
from ..places import read_city_county
from ..plaintext import invalid_character_lines
from ..problems import Problem
from ..realfiles import refusal, walk
from ..sourcefile import SourceError, read_markdown
from ..textscan import find_unsafe_html
from .records import FirstSecretary, IncomeYear, VillageProfile, YearMonth
from .slugs import RESERVED_SLUGS, SLUG, pinyin_slug

VILLAGES_DIR = "villages"

PROFILE_FIELDS = (
    "name",
    "township",
    "county",
    "city",
    "exit_year",
    "households",
    "population",
    "industries",
    "support_units",
    "first_secretaries",
    "income",
    "sample",
)
SECRETARY_FIELDS = ("name", "unit", "from", "to")

MAX_NAME_CHARS = 30
MAX_UNIT_CHARS = 60
EXIT_YEARS = (2013, 2021)  # 精准扶贫 began in 2013; every village had left poverty by 2021
TERM_YEARS = (1990, 2030)
INCOME_YEARS = (1990, 2030)
MAX_INCOME = 10_000  # 万元: more than 1 亿元 is almost certainly written in 元 by mistake

YEAR = re.compile(r"[0-9]{4}")
YEAR_MONTH = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})\s*$")

LOCATION_FIELD = "文件位置"
FILE_NAME_FIELD = "文件名"
FILE_FIELD = "文件"
BODY_FIELD = "正文"


@dataclass(frozen=True)
class ProfileResult:
    """One profile file after validation: the record when it is valid, and what was found."""

    source_path: str
    profile: VillageProfile | None
    problems: tuple[Problem, ...] = ()
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profiles:
    """Every profile under docs/villages/: the valid ones, one per village, and the problems."""

    profiles: tuple[VillageProfile, ...] = ()
    problems: tuple[Problem, ...] = ()
    rejected: tuple[str, ...] = ()  # profile files not published, with problems
    hints: tuple[str, ...] = ()


def load_profiles(project_root: Path, docs_dir: Path, gazetteer: Gazetteer) -> Profiles:
    """Read and check every profile; a second profile of the same village is refused at the
    second file, naming the first."""
    sources, problems = find_profile_sources(project_root, docs_dir)
    valid: dict[VillageKey, VillageProfile] = {}
    rejected: list[str] = []
    hints: list[str] = []
    for path in sources:
        result = load_profile(project_root, path, docs_dir, gazetteer)
        hints += result.hints
        found = list(result.problems)
        profile = result.profile
        first = valid.get(profile.key) if profile is not None else None
        if profile is not None and first is not None:
            place = profile.place
            where = place.city if place.county == place.city else place.city + place.county
            found.append(
                Problem(
                    profile.source_path,
                    profile.name_line,
                    "name",
                    f"和 {first.source_path}:{first.name_line} 写的是同一个村"
                    f"（{where}{profile.name}）；一个村只能有一份村庄资料，请把两份合并，删除这一份",
                    involves=(first.source_path,),
                )
            )
        elif profile is not None:
            valid[profile.key] = profile
        if found:
            problems += found
            rejected.append(result.source_path)
    return Profiles(tuple(valid.values()), tuple(problems), tuple(rejected), tuple(hints))


def find_profile_sources(project_root: Path, docs_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Every Markdown file under docs/villages/, and problems for other files, which are never
    published. Links are refused, not followed (realfiles.py): a linked profile or folder
    would publish files from elsewhere."""
    villages_dir = docs_dir / VILLAGES_DIR
    sources: list[Path] = []
    problems: list[Problem] = []
    refused = refusal(villages_dir, project_root, docs_dir)
    if refused is not None:
        return sources, [refused]
    if not villages_dir.is_dir():
        return sources, problems
    tree = walk(villages_dir, project_root, docs_dir)
    problems.extend(tree.problems)
    for path in tree.files:
        if path.suffix == ".md":
            sources.append(path)
        else:
            problems.append(
                Problem(
                    path.relative_to(project_root).as_posix(),
                    1,
                    FILE_FIELD,
                    "docs/villages/ 里只放村庄资料（.md 文件），这个文件不会发布；"
                    "照片请放进采风稿件的文件夹",
                )
            )
    return sources, problems


def load_profile(
    project_root: Path, path: Path, docs_dir: Path, gazetteer: Gazetteer
) -> ProfileResult:
    rel_path = path.relative_to(project_root).as_posix()
    problems: list[Problem] = []
    hints: list[str] = []
    relative = path.relative_to(docs_dir / VILLAGES_DIR)
    for finding in find_personal_data(relative.with_suffix("").as_posix()):
        message = f"{finding.message}（文件夹名和文件名会成为村庄页的网址）"
        problems.append(Problem(rel_path, 1, FILE_NAME_FIELD, message))
    try:
        source = read_markdown(path, rel_path)
    except SourceError as error:
        return ProfileResult(rel_path, None, (*problems, *error.problems))
    data = source.front_matter.value
    lines = source.front_matter.lines
    reader = FieldReader.for_front_matter(source, problems)
    hints += source.front_matter.hints
    reader.reject_unknown(PROFILE_FIELDS)

    name = reader.text("name", max_chars=MAX_NAME_CHARS)
    township = reader.text("township", max_chars=MAX_NAME_CHARS)
    city, county = read_city_county(reader, gazetteer, hints)
    exit_year = reader.integer(
        "exit_year", required=False, minimum=EXIT_YEARS[0], maximum=EXIT_YEARS[1]
    )
    households = reader.integer("households", required=False, minimum=1, maximum=100_000)
    population = reader.integer("population", required=False, minimum=1, maximum=1_000_000)
    if households is not None and population is not None and households > population:
        reader.report(
            "households",
            f"户数 {households} 多于人口 {population}；请核对 households 和 population",
        )
    industries = reader.text_list("industries")
    support_units = reader.text_list("support_units")
    secretaries = _read_secretaries(reader)
    income = _read_income(reader, data.get("income"))
    sample = bool(reader.flag("sample"))
    problems.extend(front_matter_problems(data, lines, rel_path))
    for finding in find_unsafe_html(source.body) + find_personal_data(source.body):
        problems.append(
            Problem(
                rel_path, source.body_first_line + finding.line_offset, BODY_FIELD, finding.message
            )
        )
    for offset, message in invalid_character_lines(source.body):
        problems.append(Problem(rel_path, source.body_first_line + offset, BODY_FIELD, message))

    slug = _check_location(relative, reader, name, city, county, problems)

    if problems:
        return ProfileResult(rel_path, None, tuple(problems), tuple(hints))
    assert name and township and city and county and slug
    area = Area(city.name, county.name, city.slug, county.slug)
    profile = VillageProfile(
        source_path=rel_path,
        src_uri=path.relative_to(docs_dir).as_posix(),
        place=Place(area, name, township),
        slug=slug,
        name_line=reader.line("name"),
        exit_year=exit_year,
        households=households,
        population=population,
        industries=tuple(industries),
        support_units=tuple(support_units),
        first_secretaries=tuple(secretaries),
        income=tuple(income),
        sample=sample,
    )
    return ProfileResult(rel_path, profile, (), tuple(hints))


def _check_location(
    relative: Path,
    reader: FieldReader,
    name: str | None,
    city: City | None,
    county: County | None,
    problems: list[Problem],
) -> str | None:
    """The village slug from the file's path; problems when the path disagrees with the fields."""
    suggested_slug = (pinyin_slug(name) if name else None) or "<村名拼音>"
    city_part = city.slug if city else "<城市拼音>"
    county_part = county.slug if county else "<县拼音>"
    right_path = f"docs/villages/{city_part}/{county_part}/{suggested_slug}.md"

    def report(key: str, message: str) -> None:
        problems.append(
            Problem(
                reader.path,
                1 if key in (LOCATION_FIELD, FILE_NAME_FIELD) else reader.line(key),
                key,
                message,
            )
        )

    slug = relative.stem
    slug_ok = bool(SLUG.match(slug)) and slug not in RESERVED_SLUGS
    if not slug_ok:
        report(
            FILE_NAME_FIELD,
            f"“{relative.name}”不能做网址：村庄资料的文件名就是村庄页面的永久网址，"
            f"只能用小写字母、数字和连字符（不能叫 index），例如 {suggested_slug}.md",
        )
    if len(relative.parts) != 3:
        report(
            LOCATION_FIELD,
            "村庄资料要放在 docs/villages/<城市拼音>/<县拼音>/<村名拼音>.md，"
            f"这个文件应当是 {right_path}",
        )
        return None
    city_dir, county_dir = relative.parts[0], relative.parts[1]
    if city is not None and city_dir != city.slug:
        report(
            "city",
            f"文件放在 docs/villages/{city_dir}/ 下，city 却是“{city.name}”；"
            f"{city.name}的村庄资料要放在 docs/villages/{city.slug}/ 下，"
            f"请把文件移到 {right_path}，或改正 city",
        )
    elif city is not None and county is not None and county_dir != county.slug:
        report(
            "county",
            f"文件放在 docs/villages/{city_dir}/{county_dir}/ 下，county 却是“{county.name}”；"
            f"{county.name}的村庄资料要放在 docs/villages/{city.slug}/{county.slug}/ 下，"
            f"请把文件移到 {right_path}，或改正 county",
        )
    return slug if slug_ok else None


def _read_year_month(reader: FieldReader, key: str, *, required: bool) -> YearMonth | None:
    if not reader.has(key):
        if required:
            reader.report(key, "缺少必填字段；请写成 YYYY-MM，例如 2017-03")
        return None
    value = reader.data[key]
    if isinstance(value, dt.date):  # 2017-03-01 is read as a date: its month is what counts
        year, month = value.year, value.month
    elif isinstance(value, str) and (match := YEAR_MONTH.match(value)):
        year, month = int(match.group(1)), int(match.group(2))
    else:
        reader.report(key, f"{describe_type(value)}不是年月；请写成 YYYY-MM，例如 2017-03")
        return None
    if not 1 <= month <= 12:
        reader.report(key, f"“{value}”的月份 {month} 不存在；月份是 01 到 12")
        return None
    if not TERM_YEARS[0] <= year <= TERM_YEARS[1]:
        reader.report(key, f"{year} 年超出合理范围（{TERM_YEARS[0]}～{TERM_YEARS[1]}）；请核对")
        return None
    return YearMonth(year, month)


def _read_secretaries(reader: FieldReader) -> list[FirstSecretary]:
    secretaries = []
    for item in reader.mapping_list("first_secretaries"):
        item.reject_unknown(SECRETARY_FIELDS)
        name = item.text("name", max_chars=MAX_NAME_CHARS)
        unit = item.text("unit", max_chars=MAX_UNIT_CHARS)
        start = _read_year_month(item, "from", required=True)
        end = _read_year_month(item, "to", required=False)
        if start is not None and end is not None and end < start:
            item.report("to", f"{end.iso} 早于 from {start.iso}；任期的结束不能早于开始，请核对")
            continue
        if name and unit and start:
            secretaries.append(FirstSecretary(name, unit, start, end))
    return sorted(secretaries, key=lambda s: (s.start, s.end or YearMonth(9999, 12)))


def _read_income(reader: FieldReader, value: Any) -> list[IncomeYear]:
    if value is None:
        return []
    if not isinstance(value, dict):
        reader.report(
            "income",
            f"应该是“年份: 金额”，每年一行，现在是{describe_type(value)}；"
            "例如下一行写“  2020: 35.6”（单位万元）",
        )
        return []
    years: dict[int, IncomeYear] = {}
    for key, amount in value.items():
        name = f"income.{key}"
        line = reader.lines.get(name, reader.line("income"))
        year: int | None = None
        if isinstance(key, int) and not isinstance(key, bool):
            year = key
        elif isinstance(key, str) and YEAR.fullmatch(key.strip()):
            year = int(key.strip())
        if year is None or not INCOME_YEARS[0] <= year <= INCOME_YEARS[1]:
            reader.problems.append(
                Problem(
                    reader.path,
                    line,
                    name,
                    f"“{shorten(str(key))}”不是年份；"
                    "请只写四位数的年份，例如“2020: 35.6”（单位万元）",
                )
            )
            continue
        if year in years:
            reader.problems.append(
                Problem(reader.path, line, name, f"{year} 年写了两次；每年只写一行")
            )
            continue
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            reader.problems.append(
                Problem(
                    reader.path,
                    line,
                    name,
                    not_a_number_message(amount, "收入数字（万元）", "35.6"),
                )
            )
            continue
        if amount < 0 or amount != amount:  # negative or NaN
            reader.problems.append(
                Problem(reader.path, line, name, f"{amount} 不是有效的收入；请写 0 或正数（万元）")
            )
            continue
        if amount > MAX_INCOME:
            reader.problems.append(
                Problem(
                    reader.path,
                    line,
                    name,
                    f"{amount} 万元超过 1 亿元；收入的单位是万元（35.6 表示 35.6 万元），请核对",
                )
            )
            continue
        years[year] = IncomeYear(year, float(amount))
    return [years[y] for y in sorted(years)]
