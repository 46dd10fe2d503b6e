"""Every public URL and output path of the site, in one place (DESIGN.md, "URLs").

URLs are site-relative, without a leading slash, and end in `/` for a page (`stories/x/`);
an output file's path is its URL (`troupe/schedule.ics`). A generated page's source, as MkDocs
names it, is its URL plus `index.md` (`source_of`). Links get shared on WeChat: a URL, once
published, never changes, so nothing else spells one (tests/unit/test_urls.py checks this
module against DESIGN.md's table).
"""

from __future__ import annotations

INDEX = "index.md"

HOME = ""  # docs/index.md
STORIES = "stories/"
VILLAGES = "villages/"
GALLERY = "gallery/"
MEDIA = "media/"
TROUPE = "troupe/"
PROBLEMS = "problems/"  # `mkdocs serve` only
CHANGES = (
    "changes/"  # `mkdocs serve` only: the maintainers' record of withdrawals, moves, corrections
)
PROGRESS = "progress/"
SEARCH = "search/"  # the search page
SEARCH_INDEX = "search-index/"  # the search index, made after the build (search/indexer.py)
ASSETS = "assets/"  # the theme's files and docs/assets/: stylesheets, scripts, icons

# At the site root, for crawlers: robots.txt names the sitemap MkDocs writes.
ROBOTS = "robots.txt"
SITEMAP = "sitemap.xml"
# What a shared link shows when its page has no photo of its own (a committed PNG, 600×600).
SHARE_IMAGE = "assets/share.png"

# The first part of every URL the site generates: a hand-written page whose URL starts with
# one of these would be overwritten by (or overwrite) a generated one, so validation refuses it.
GENERATED_SPACES = tuple(
    space.rstrip("/")
    for space in (
        STORIES,
        VILLAGES,
        GALLERY,
        MEDIA,
        TROUPE,
        PROBLEMS,
        CHANGES,
        PROGRESS,
        SEARCH,
        SEARCH_INDEX,
    )
)


def source_of(url: str) -> str:
    """The source path MkDocs gives a generated page at `url`: `stories/page/2/index.md`."""
    return f"{url}{INDEX}"


def page_file(url: str) -> str:
    """The file a server answers `url` with: `stories/x/index.html` (use_directory_urls)."""
    return f"{url}index.html"


def paged(first: str, number: int) -> str:
    """Page `number` (1-based) of a paginated listing whose first page is at `first`."""
    return first if number == 1 else f"{first}page/{number}/"


# -- stories ---------------------------------------------------------------------------------


def story(folder: str) -> str:
    return f"{STORIES}{folder}/"


# A withdrawn story's folder holds its notice page and this empty file: nginx answers the URL
# with 410 when it is there (deploy/nginx/site.conf.in). A file, not a map in the nginx
# configuration, so a takedown needs no reload, and rolls back with nothing.
WITHDRAWN_MARKER = ".withdrawn"


def withdrawn_marker(folder: str) -> str:
    return f"{story(folder)}{WITHDRAWN_MARKER}"


def activity_stories(activity_slug: str) -> str:
    return f"{STORIES}activity/{activity_slug}/"


def city_stories(city_slug: str) -> str:
    return f"{STORIES}city/{city_slug}/"


# -- feeds (Atom) ----------------------------------------------------------------------------

FEED_NAME = "feed.xml"
STORIES_FEED = f"{STORIES}{FEED_NAME}"


def activity_feed(activity_slug: str) -> str:
    return f"{activity_stories(activity_slug)}{FEED_NAME}"


# -- villages --------------------------------------------------------------------------------


def city_villages(city_slug: str) -> str:
    return f"{VILLAGES}{city_slug}/"


def county_villages(city_slug: str, county_slug: str) -> str:
    """A county's villages: where a reader lands who trims a village URL."""
    return f"{VILLAGES}{city_slug}/{county_slug}/"


def village(city_slug: str, county_slug: str, slug: str) -> str:
    return f"{VILLAGES}{city_slug}/{county_slug}/{slug}/"


POSTER = "poster/"


def village_poster(city_slug: str, county_slug: str, slug: str) -> str:
    """The village's printable A4 poster, for the notice board."""
    return f"{village(city_slug, county_slug, slug)}{POSTER}"


# -- gallery ---------------------------------------------------------------------------------


def gallery_theme(theme_slug: str) -> str:
    return f"{GALLERY}{theme_slug}/"


def gallery_city(city_slug: str) -> str:
    return f"{GALLERY}city/{city_slug}/"


def gallery_activity(activity_slug: str) -> str:
    return f"{GALLERY}activity/{activity_slug}/"


# -- derived media ---------------------------------------------------------------------------


def media(name: str) -> str:
    """A derived file (content-addressed name, never an original's)."""
    return f"{MEDIA}{name}"


# -- the site's own stylesheet and scripts ---------------------------------------------------


def sitemap_part(number: int) -> str:
    """A part of a sitemap too long for one file; sitemap.xml is then their index."""
    return f"sitemap-{number}.xml"


def search_index_file(name: str) -> str:
    """A file of the search index: `search-index/manifest.json`, `search-index/<build>/…`."""
    return f"{SEARCH_INDEX}{name}"


def asset(name: str) -> str:
    """A file of the theme or of docs/assets/ (`site.<hash>.css`, `pairs.<hash>.js`)."""
    return f"{ASSETS}{name}"


# -- what a release says about itself (read by deploy/, never linked, refused by nginx) -------

RELEASE_FOLDER = ".huatuopin/"
# Story URLs, withdrawals, redirects and the derived files each story uses (releasefacts.py).
RELEASE_FACTS = f"{RELEASE_FOLDER}release.json"
# `map` lines for nginx: old story URL → new one (included by deploy/nginx/site.conf.in).
REDIRECTS_MAP = f"{RELEASE_FOLDER}redirects.map"


# -- troupe ----------------------------------------------------------------------------------

SCHEDULE = f"{TROUPE}schedule/"
SCHEDULE_CALENDAR = f"{TROUPE}schedule.ics"
SCHEDULE_XML = f"{TROUPE}schedule.xml"
SCHEDULE_JSON = f"{TROUPE}schedule.json"


def member(member_id: str) -> str:
    return f"{TROUPE}members/{member_id}/"


def member_calendar(member_id: str) -> str:
    return f"{TROUPE}members/{member_id}.ics"


def member_photo(member_id: str) -> str:
    """The member's published photo (re-encoded, without metadata)."""
    return f"{TROUPE}members/{member_id}.jpg"


def troupe_city(city_slug: str) -> str:
    return f"{TROUPE}cities/{city_slug}/"


def city_poster(city_slug: str) -> str:
    """The printable A4 poster of the troupe's talks in one city."""
    return f"{troupe_city(city_slug)}{POSTER}"


def city_calendar(city_slug: str) -> str:
    return f"{TROUPE}cities/{city_slug}.ics"


def talk(anchor: str) -> str:
    """A talk on the schedule page."""
    return f"{SCHEDULE}#{anchor}"


# -- progress figures ------------------------------------------------------------------------

PROGRESS_CSV = f"{PROGRESS}progress.csv"
PROGRESS_XLSX = f"{PROGRESS}progress.xlsx"


def progress_city(city_slug: str) -> str:
    """A city's figures, villages, talks and stories, for the provincial office."""
    return f"{PROGRESS}{city_slug}/"
