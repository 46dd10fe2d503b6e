"""`huatuopin.urls` against DESIGN.md's URL table, and no URL spelled anywhere else in Python.

The table's rows are kept here as data. Each pattern is rebuilt by calling `urls` with the
pattern's own placeholders (`urls.story("<folder>")` must give `stories/<folder>/`), so a
changed URL fails here before a shared link breaks. When `../shared/DESIGN.md` is beside the
repository, its table must still read as the copy here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sitekit
from huatuopin import urls
from huatuopin.vocab import ACTIVITIES

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE = REPO_ROOT / "hooks" / "huatuopin"
SHARED_DESIGN = REPO_ROOT.parent / "shared" / "DESIGN.md"

# DESIGN.md, "URLs (public contract; tests and links depend on them)", row by row as written.
TABLE: list[tuple[str, str]] = [
    ("story", "`/stories/<folder>/`"),
    ("all stories, page N", "`/stories/`, `/stories/page/<N>/`"),
    (
        "by activity / by city",
        "`/stories/activity/<ruhufang|dajiatan|huicunkan|liangchengguo|huaweilai>/`, "
        "`/stories/city/<city-slug>/`",
    ),
    ("problems (serve only)", "`/problems/`"),
    (
        "villages",
        "`/villages/`, `/villages/<city-slug>/`, "
        "`/villages/<city-slug>/<county-slug>/<village-slug>/`",
    ),
    (
        "listings, page N",
        "`…/page/<N>/` for every paginated listing (activity, city, gallery)",
    ),
    ("county", "`/villages/<city-slug>/<county-slug>/` (a trimmed village URL lands here)"),
    (
        "gallery",
        "`/gallery/`, `/gallery/<theme-slug>/`, `/gallery/city/<city-slug>/`, "
        "`/gallery/activity/<slug>/`",
    ),
    ("derived media", "`/media/<digest>…` (content-addressed; never an original)"),
    (
        "troupe",
        "`/troupe/`, `/troupe/schedule/`, `/troupe/members/<id>/`, `/troupe/cities/<city-slug>/`",
    ),
    (
        "calendars",
        "`/troupe/schedule.ics`, `/troupe/members/<id>.ics`, `/troupe/cities/<city-slug>.ics`",
    ),
    ("conference apps", "`/troupe/schedule.xml`, `/troupe/schedule.json`"),
    ("member photos", "`/troupe/members/…` (derived like all media)"),
    ("feeds", "`/stories/feed.xml` and one per activity"),
    ("posters", "`/villages/…/<village-slug>/poster/`, `/troupe/cities/<city-slug>/poster/`"),
    (
        "progress",
        "`/progress/`, `/progress/<city-slug>/`, `/progress/progress.csv`, "
        "`/progress/progress.xlsx`",
    ),
    ("search", "`/search/`, `/search-index/…` (the index, made after the build)"),
    ("withdrawals, moves and corrections (serve only)", "`/changes/`"),
]
# Rows added here and proposed for DESIGN.md (issue 13's closing note: the search index).
PROPOSED_ROWS = [
    ("search", "`/search/`, `/search-index/…` (the index, made after the build)"),
    ("withdrawals, moves and corrections (serve only)", "`/changes/`"),
]

ACTIVITY_SLUGS = "<" + "|".join(a.slug for a in ACTIVITIES) + ">"
N: int = "<N>"  # type: ignore[assignment]  # a placeholder where a page number goes

# What `urls` gives for each row, called with the row's placeholders, in the row's order.
BUILT: dict[str, Callable[[], list[str]]] = {
    "story": lambda: [urls.story("<folder>")],
    "all stories, page N": lambda: [urls.STORIES, urls.paged(urls.STORIES, N)],
    "by activity / by city": lambda: [
        urls.activity_stories(ACTIVITY_SLUGS),
        urls.city_stories("<city-slug>"),
    ],
    "problems (serve only)": lambda: [urls.PROBLEMS],
    "villages": lambda: [
        urls.VILLAGES,
        urls.city_villages("<city-slug>"),
        urls.village("<city-slug>", "<county-slug>", "<village-slug>"),
    ],
    "listings, page N": lambda: [urls.paged("…/", N)],
    "county": lambda: [urls.county_villages("<city-slug>", "<county-slug>")],
    "gallery": lambda: [
        urls.GALLERY,
        urls.gallery_theme("<theme-slug>"),
        urls.gallery_city("<city-slug>"),
        urls.gallery_activity("<slug>"),
    ],
    "derived media": lambda: [urls.media("<digest>-480.webp")],
    "troupe": lambda: [
        urls.TROUPE,
        urls.SCHEDULE,
        urls.member("<id>"),
        urls.troupe_city("<city-slug>"),
    ],
    "calendars": lambda: [
        urls.SCHEDULE_CALENDAR,
        urls.member_calendar("<id>"),
        urls.city_calendar("<city-slug>"),
    ],
    "conference apps": lambda: [urls.SCHEDULE_XML, urls.SCHEDULE_JSON],
    "member photos": lambda: [urls.member_photo("<id>")],
    "feeds": lambda: [urls.STORIES_FEED],
    "posters": lambda: [
        urls.village_poster("<city-slug>", "<county-slug>", "<village-slug>"),
        urls.city_poster("<city-slug>"),
    ],
    "progress": lambda: [
        urls.PROGRESS,
        urls.progress_city("<city-slug>"),
        urls.PROGRESS_CSV,
        urls.PROGRESS_XLSX,
    ],
    "search": lambda: [urls.SEARCH, urls.search_index_file("manifest.json")],
    "withdrawals, moves and corrections (serve only)": lambda: [urls.CHANGES],
}
# Rows of the contract nothing generates yet; their first folder is reserved all the same.
NOT_BUILT_YET: set[str] = set()


def patterns(cell: str) -> list[str]:
    """The backticked URL patterns of a cell, without the leading slash."""
    return [p.removeprefix("/") for p in re.findall(r"`([^`]+)`", cell)]


def matches(url: str, pattern: str) -> bool:
    """`…` stands for anything: at the end of a pattern for a name, at the start for a prefix,
    in the middle for the folders between (`villages/…/<village-slug>/poster/`)."""
    anything = ".+".join(re.escape(part) for part in pattern.split("…"))
    return re.fullmatch(anything, url) is not None


def test_every_row_is_built_or_known_to_be_missing() -> None:
    assert set(BUILT) | NOT_BUILT_YET == {page for page, _ in TABLE}
    assert set(BUILT).isdisjoint(NOT_BUILT_YET)


@pytest.mark.parametrize("page", list(BUILT))
def test_urls_give_the_table_s_patterns(page: str) -> None:
    cell = dict(TABLE)[page]
    built = BUILT[page]()
    expected = patterns(cell)
    assert len(built) == len(expected)
    for url, pattern in zip(built, expected, strict=True):
        assert matches(url, pattern), f"{page}: urls gives {url!r}, DESIGN.md says {pattern!r}"


def test_each_activity_has_its_feed_beside_its_listing() -> None:
    """DESIGN.md's "and one per activity": the feed sits in the activity's listing folder."""
    for activity in ACTIVITIES:
        feed = urls.activity_feed(activity.slug)
        assert feed == f"{urls.activity_stories(activity.slug)}feed.xml"
    assert urls.STORIES_FEED == "stories/feed.xml"


def test_generated_pages_have_their_url_plus_index_md_as_source() -> None:
    assert urls.source_of(urls.paged(urls.STORIES, 2)) == "stories/page/2/index.md"
    assert urls.paged(urls.gallery_theme("daolu"), 1) == "gallery/daolu/"


def test_every_first_folder_of_the_table_is_reserved() -> None:
    firsts = {p.split("/")[0] for _, cell in TABLE for p in patterns(cell) if p[0] != "…"}
    assert firsts == set(urls.GENERATED_SPACES)


# -- DESIGN.md itself, when it is beside the repository --------------------------------------


def cells(row: str) -> list[str]:
    """A Markdown table row split at `|`, except inside backticks."""
    parts, current, quoted = [], "", False
    for char in row.strip().strip("|"):
        if char == "`":
            quoted = not quoted
        if char == "|" and not quoted:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return parts


def design_table(text: str) -> list[tuple[str, str]]:
    section = text.split("\n## URLs", 1)[1].split("\n## ", 1)[0]
    rows = [cells(line) for line in section.splitlines() if line.startswith("|")]
    return [(page, url) for page, url in rows[2:]]  # after the header and its rule


def test_the_table_here_is_design_md_s_table() -> None:
    if not SHARED_DESIGN.is_file():
        sitekit.absent(
            f"{SHARED_DESIGN} is absent: DESIGN.md comes from shared/ beside the repository"
        )
    design = design_table(SHARED_DESIGN.read_text(encoding="utf-8"))
    # A row the project added is proposed to the design in the closing note; until the
    # shared DESIGN.md has it, the rest of the table must still match row by row.
    assert design in (TABLE, [row for row in TABLE if row not in PROPOSED_ROWS])


# -- nothing else spells a URL ----------------------------------------------------------------

_URL_START = re.compile(rf"^/?(?:{'|'.join(urls.GENERATED_SPACES)})/|/?page/|.*/page/")


def spelled_urls(path: Path) -> list[str]:
    """String literals (f-strings included) of a module that start like a site URL or
    spell a listing's page; docstrings may show URLs."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, ast.JoinedStr) and node.values:
            node = node.values[0]
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and _URL_START.match(text):
            found.append(f"{path.name}:{node.lineno}: {text!r}")
    return found


def test_no_module_but_urls_spells_a_url() -> None:
    modules = [p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "urls.py"]
    assert [hit for path in modules for hit in spelled_urls(path)] == []
