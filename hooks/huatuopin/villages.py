"""Villages: profiles in `docs/villages/`, their validation, slugs, and every story's village.

A village is identified by (city, county, village name). It has a page when it has a profile
(`docs/villages/<city-slug>/<county-slug>/<village-slug>.md`, whose path is the page's URL) or
when a story names it (the slug is then the pinyin of its name). A slug depends only on the
village's own profile file or name, never on other villages or on the order of stories, so
adding content never moves an existing village page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pypinyin import Style, lazy_pinyin

from . import urls
from .fields import FieldReader, describe_type, not_a_number_message, shorten
from .gazetteer import City, County, Gazetteer
from .models import Pair, Place, Story
from .personaldata import find_personal_data, front_matter_problems
from .places import read_city_county
from .plaintext import invalid_character_lines
from .problems import Problem
from .realfiles import refusal, walk
from .sourcefile import SourceError, read_markdown
from .textscan import find_unsafe_html
from .vocab import ACTIVITIES, Activity

if TYPE_CHECKING:
    from .catalog import Catalog

VILLAGES_DIR = "villages"
PlaceKey = tuple[str, str, str]  # (city, county, village), names as in the gazetteer

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

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# MkDocs turns `index.md` and `README.md` into the folder's own page: never a village slug.
RESERVED_SLUGS = {"index", "readme"}
YEAR = re.compile(r"[0-9]{4}")
YEAR_MONTH = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})\s*$")
VILLAGE_SUFFIX = "村"
# Separators a village name may contain; they become hyphens in its slug.
_SLUG_SEPARATORS = re.compile(r"[\s\-_·•.,，。、/()（）]+")

LOCATION_FIELD = "文件位置"
FILE_NAME_FIELD = "文件名"
FILE_FIELD = "文件"
BODY_FIELD = "正文"


# -- records ---------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class YearMonth:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class FirstSecretary:
    """驻村第一书记: `end` None means still serving."""

    name: str
    unit: str
    start: YearMonth
    end: YearMonth | None = None

    @property
    def serving(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class IncomeYear:
    year: int
    amount: float  # 万元


@dataclass
class VillageProfile:
    """A valid `docs/villages/<city>/<county>/<slug>.md`."""

    source_path: str  # relative to the project root, for problems
    src_uri: str  # relative to docs/, as MkDocs names the file
    slug: str
    name: str
    township: str
    city: str
    county: str
    city_slug: str
    county_slug: str
    exit_year: int | None = None
    households: int | None = None
    population: int | None = None
    industries: list[str] = field(default_factory=list)
    support_units: list[str] = field(default_factory=list)
    first_secretaries: list[FirstSecretary] = field(default_factory=list)  # earliest first
    income: list[IncomeYear] = field(default_factory=list)  # by year
    sample: bool = False

    @property
    def key(self) -> PlaceKey:
        return (self.city, self.county, self.name)


@dataclass
class Village:
    """One village's page: its profile when there is one, and every story that names it."""

    city: str
    county: str
    name: str
    city_slug: str
    county_slug: str
    slug: str
    township: str | None = None
    profile: VillageProfile | None = None
    stories: list[Story] = field(default_factory=list)  # newest first

    @property
    def key(self) -> PlaceKey:
        return (self.city, self.county, self.name)

    @property
    def url(self) -> str:
        """Site-relative URL, no leading slash (as `Story.url`)."""
        return urls.village(self.city_slug, self.county_slug, self.slug)

    @property
    def src_uri(self) -> str:
        """The profile file, or the generated page of a village known only from stories."""
        if self.profile is not None:
            return self.profile.src_uri
        return urls.source_of(self.url)

    @property
    def place(self) -> Place:
        return Place(
            city=self.city,
            county=self.county,
            township=self.township,
            village=self.name,
            city_slug=self.city_slug,
            county_slug=self.county_slug,
        )

    @property
    def sample(self) -> bool:
        return self.profile is not None and self.profile.sample

    @property
    def title(self) -> str:
        where = self.city if self.county == self.city else f"{self.city}{self.county}"
        return f"{self.name}（{where}）"

    def stories_by_activity(self) -> list[tuple[Activity, list[Story]]]:
        """The village's stories grouped by activity in campaign order, newest first in each."""
        groups: dict[str, list[Story]] = defaultdict(list)
        for story in self.stories:
            groups[story.activity].append(story)
        return [(a, groups[a.name]) for a in ACTIVITIES if a.name in groups]

    @property
    def pairs(self) -> list[tuple[Story, Pair]]:
        """Before-and-after pairs of the village's stories, newest story first."""
        return [(story, pair) for story in self.stories for pair in story.pairs]


class VillageMap(dict[PlaceKey, Village]):
    """Every village of the site, keyed by (city, county, village)."""

    @cached_property
    def _by_src_uri(self) -> dict[str, Village]:
        return {v.src_uri: v for v in self.values()}

    def for_src_uri(self, src_uri: str) -> Village | None:
        return self._by_src_uri.get(src_uri)

    def for_place(self, place: Place | PlaceKey) -> Village | None:
        key = place.key if isinstance(place, Place) else tuple(place)
        return self.get(key)  # type: ignore[arg-type]

    def profile_src_uris(self) -> set[str]:
        return {v.profile.src_uri for v in self.values() if v.profile is not None}

    def in_county(self, city: str, county: str) -> list[Village]:
        return [v for v in self.values() if v.city == city and v.county == county]

    def ordered(self) -> list[Village]:
        """In a stable order: by city and county slug, then village slug."""
        return sorted(self.values(), key=lambda v: (v.city_slug, v.county_slug, v.slug))


def find_village(
    catalog: Catalog, place: Place | PlaceKey, gazetteer: Gazetteer | None = None
) -> Village | None:
    """The village of a place, or None; an old county name (孟津县) finds the renamed one."""
    key = place.key if isinstance(place, Place) else tuple(place)
    village = catalog.villages.get(key)  # type: ignore[arg-type]
    if village is None and gazetteer is not None:
        city, county, name = key
        match = gazetteer.county(city, county)
        if match is not None:
            village = catalog.villages.get((city, match.county.name, name))
    return village


def village_url(
    catalog: Catalog, place: Place | PlaceKey, gazetteer: Gazetteer | None = None
) -> str:
    """Site-relative URL (no leading slash) of a known village's page; KeyError otherwise.

    A known village has a profile or is named by a published story; check with `find_village`
    first where an unknown place is a contributor's mistake rather than a bug.
    """
    village = find_village(catalog, place, gazetteer)
    if village is None:
        raise KeyError(f"no village page for {place!r}")
    return village.url


# -- slugs -----------------------------------------------------------------------------------


def pinyin_slug(name: str) -> str | None:
    """The slug of a village without a profile: the pinyin of its name, without a final 村.

    张庄村 → zhangzhuang, 田铺大塆 → tianpudawan. None when the name has a character pypinyin
    cannot read (such a village needs a profile, whose file name is its slug).
    """
    base = name.strip()
    if base.endswith(VILLAGE_SUFFIX) and len(base) > 2:
        base = base[: -len(VILLAGE_SUFFIX)]
    pieces: list[str] = []
    for piece in lazy_pinyin(base, style=Style.NORMAL, errors="default", v_to_u=False):
        piece = piece.lower()
        if re.fullmatch(r"[a-z0-9]+", piece):
            pieces.append(piece)
            continue
        for part in _SLUG_SEPARATORS.split(piece):
            if not part:
                pieces.append("-")
            elif re.fullmatch(r"[a-z0-9]+", part):
                pieces.append(f"-{part}-")
            else:
                return None
    slug = re.sub(r"-+", "-", "".join(pieces)).strip("-")
    return slug if SLUG.match(slug) and slug not in RESERVED_SLUGS else None


def one_character_apart(a: str, b: str) -> bool:
    """True when `b` is `a` with one character added, removed or changed (张庄 / 张庄村)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


# -- loading profiles ------------------------------------------------------------------------


@dataclass
class ProfileResult:
    source_path: str
    profile: VillageProfile | None
    problems: list[Problem] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    name_line: int = 1


def find_profile_sources(
    project_root: Path, docs_dir: Path, folders: Iterable[tuple[str, str]] | None = None
) -> tuple[list[Path], list[Problem]]:
    """Every Markdown file under docs/villages/ (or only in the given city/county folders),
    and problems for other files, which are never published. Links are refused, not followed
    (realfiles.py): a linked profile or folder would publish files from elsewhere."""
    villages_dir = docs_dir / VILLAGES_DIR
    sources: list[Path] = []
    problems: list[Problem] = []
    refused = refusal(villages_dir, project_root, docs_dir)
    if refused is not None:
        return sources, [refused]
    if not villages_dir.is_dir():
        return sources, problems
    if folders is None:
        tree = walk(villages_dir, project_root, docs_dir)
        candidates = tree.files
        problems.extend(tree.problems)
    else:
        candidates = []
        for city_slug, county_slug in sorted(set(folders)):
            folder = villages_dir / city_slug / county_slug
            if folder.is_dir() and not (folder.is_symlink() or folder.parent.is_symlink()):
                candidates += walk(folder, project_root, docs_dir, recursive=False).files
    for path in candidates:
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
    result = ProfileResult(rel_path, None)
    relative = path.relative_to(docs_dir / VILLAGES_DIR)
    for finding in find_personal_data(relative.with_suffix("").as_posix()):
        message = f"{finding.message}（文件夹名和文件名会成为村庄页的网址）"
        result.problems.append(Problem(rel_path, 1, FILE_NAME_FIELD, message))
    try:
        source = read_markdown(path, rel_path)
    except SourceError as error:
        result.problems.extend(error.problems)
        return result
    data = source.front_matter.value
    lines = source.front_matter.lines
    reader = FieldReader.for_front_matter(source, result.problems)
    result.hints += source.front_matter.hints
    reader.reject_unknown(PROFILE_FIELDS)
    result.name_line = reader.line("name")

    name = reader.text("name", max_chars=MAX_NAME_CHARS)
    township = reader.text("township", max_chars=MAX_NAME_CHARS)
    city, county = read_city_county(reader, gazetteer, result.hints)
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
    result.problems.extend(front_matter_problems(data, lines, rel_path))
    for finding in find_unsafe_html(source.body) + find_personal_data(source.body):
        result.problems.append(
            Problem(
                rel_path, source.body_first_line + finding.line_offset, BODY_FIELD, finding.message
            )
        )
    for offset, message in invalid_character_lines(source.body):
        result.problems.append(
            Problem(rel_path, source.body_first_line + offset, BODY_FIELD, message)
        )

    slug = _check_location(relative, reader, name, city, county, result.problems)

    if result.problems:
        return result
    assert name and township and city and county and slug
    result.profile = VillageProfile(
        source_path=rel_path,
        src_uri=path.relative_to(docs_dir).as_posix(),
        slug=slug,
        name=name,
        township=township,
        city=city.name,
        county=county.name,
        city_slug=city.slug,
        county_slug=county.slug,
        exit_year=exit_year,
        households=households,
        population=population,
        industries=industries,
        support_units=support_units,
        first_secretaries=secretaries,
        income=income,
        sample=sample,
    )
    return result


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


# -- resolving every village -----------------------------------------------------------------


def resolve_villages(
    catalog: Catalog,
    project_root: Path,
    docs_dir: Path,
    gazetteer: Gazetteer,
    *,
    only: Path | None = None,
) -> None:
    """Load the profiles, give every story its village, and check they agree.

    With `only` (checking one story), profiles are read from that story's county folder just
    to check the story's village; their own problems belong to a full check.
    """
    if only is None:
        sources, problems = find_profile_sources(project_root, docs_dir)
        catalog.problems.extend(problems)
    else:
        places = [s.place for s in catalog.stories] + [p for _, _, p in catalog.rejected_places]
        folders = {(place.city_slug, place.county_slug) for place in places}
        sources, _ = find_profile_sources(project_root, docs_dir, folders)
    results = [load_profile(project_root, path, docs_dir, gazetteer) for path in sources]
    profiles: dict[PlaceKey, ProfileResult] = {}
    for result in results:
        if only is None:
            catalog.hints.extend(result.hints)
        profile = result.profile
        if profile is not None and profile.key in profiles:
            first = profiles[profile.key]
            where = (
                profile.city if profile.county == profile.city else profile.city + profile.county
            )
            result.problems.append(
                Problem(
                    result.source_path,
                    result.name_line,
                    "name",
                    f"和 {first.source_path}:{first.name_line} 写的是同一个村"
                    f"（{where}{profile.name}）；一个村只能有一份村庄资料，请把两份合并，删除这一份",
                )
            )
            result.profile = None
        elif profile is not None:
            profiles[profile.key] = result
        if result.problems and only is None:
            catalog.problems.extend(result.problems)
            catalog.rejected.append(result.source_path)

    villages = VillageMap()
    for result in profiles.values():
        profile = result.profile
        assert profile is not None
        villages[profile.key] = Village(
            city=profile.city,
            county=profile.county,
            name=profile.name,
            city_slug=profile.city_slug,
            county_slug=profile.county_slug,
            slug=profile.slug,
            township=profile.township,
            profile=profile,
        )

    by_key: dict[PlaceKey, list[Story]] = defaultdict(list)
    for story in catalog.stories:
        by_key[story.place.key].append(story)
    rejected: set[str] = set()

    # Stories naming a village that has no profile, while one a character apart has.
    story_only: dict[PlaceKey, list[Story]] = {}
    for key, stories in sorted(by_key.items()):
        if key in villages:
            continue
        city, county, name = key
        near = sorted(
            v.name for v in villages.in_county(city, county) if one_character_apart(name, v.name)
        )
        if not near:
            story_only[key] = stories
            continue
        message = _near_miss_message(stories[0].place, near)
        for story in stories:
            _reject(catalog, rejected, story, story.village_line, message)
    # A story rejected for other mistakes hears about its village now too, not on the next try.
    for source_path, line, place in catalog.rejected_places:
        if place.key in villages:
            continue
        near = sorted(
            v.name
            for v in villages.in_county(place.city, place.county)
            if one_character_apart(place.village, v.name)
        )
        if near:
            catalog.problems.append(
                Problem(source_path, line, "village", _near_miss_message(place, near))
            )

    # Slugs: every village without a profile gets the pinyin of its name, unless that is taken.
    taken: dict[tuple[str, str, str], Village] = {
        (v.city_slug, v.county_slug, v.slug): v for v in villages.values()
    }
    wanted: dict[tuple[str, str, str], list[PlaceKey]] = defaultdict(list)
    for key, stories in story_only.items():
        place = stories[0].place
        slug = pinyin_slug(key[2])
        folder = f"docs/villages/{place.city_slug}/{place.county_slug}/"
        if slug is None:
            for story in stories:
                _reject(
                    catalog,
                    rejected,
                    story,
                    story.village_line,
                    f"无法从村名“{key[2]}”生成网址；请为这个村建一份村庄资料，"
                    f"放在 {folder}，文件名（小写拼音）就是它的网址",
                )
            continue
        wanted[(place.city_slug, place.county_slug, slug)].append(key)
    for slug_key, keys in sorted(wanted.items()):
        city_slug, county_slug, slug = slug_key
        url = "/" + urls.village(city_slug, county_slug, slug)
        folder = f"docs/villages/{city_slug}/{county_slug}/"
        holder = taken.get(slug_key)
        if holder is None and len(keys) == 1:
            key = keys[0]
            stories = by_key[key]
            villages[key] = Village(
                city=key[0],
                county=key[1],
                name=key[2],
                city_slug=city_slug,
                county_slug=county_slug,
                slug=slug,
                township=_common_township(stories),
            )
            continue
        for key in keys:
            if holder is not None:
                assert holder.profile is not None
                others = f"“{holder.name}”（{holder.profile.source_path}）"
            else:
                others = "、".join(
                    f"“{k[2]}”（{by_key[k][0].source_path}:{by_key[k][0].village_line}）"
                    for k in keys
                    if k != key
                )
            for story in by_key[key]:
                _reject(
                    catalog,
                    rejected,
                    story,
                    story.village_line,
                    f"“{key[2]}”的网址 {url} 和{others}重复；"
                    "如果是同一个村，请统一 village 的写法；"
                    f"如果是两个村，请为“{key[2]}”建一份村庄资料，放在 {folder}，"
                    "另取一个文件名（文件名就是网址）",
                )

    if rejected:
        catalog.stories = [s for s in catalog.stories if s.source_path not in rejected]
    for story in sorted(catalog.stories, key=lambda s: s.sort_key, reverse=True):
        village = villages.get(story.place.key)
        if village is not None:
            village.stories.append(story)
    catalog.villages = villages


def _reject(catalog: Catalog, rejected: set[str], story: Story, line: int, message: str) -> None:
    catalog.problems.append(Problem(story.source_path, line, "village", message))
    if story.source_path not in rejected:
        rejected.add(story.source_path)
        catalog.rejected.append(story.source_path)


def _near_miss_message(place: Place, near: list[str]) -> str:
    guess = "或".join(f"“{n}”" for n in near)
    folder = f"docs/villages/{place.city_slug}/{place.county_slug}/"
    return (
        f"{place.county}没有叫“{place.village}”的村庄资料；是不是想写{guess}？"
        f"如果确实是另一个村，请在 {folder} 为“{place.village}”建一份村庄资料"
    )


def _common_township(stories: list[Story]) -> str | None:
    counts = Counter(s.place.township for s in stories if s.place.township)
    if not counts:
        return None
    return min(counts, key=lambda t: (-counts[t], t))
