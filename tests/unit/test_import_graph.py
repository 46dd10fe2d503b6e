"""The import graph follows DESIGN.md's data flow: no module imports from a later stage.

read ─▶ validate ─▶ resolve ─▶ Catalog ─▶ generators (views, media variants, feeds) ─▶ hooks

The records every stage shares (and the vocabularies and URLs they use) come first. Every
module of the package has its stage here: a new module must be placed before it is used.
Imports are read with `ast`, `if TYPE_CHECKING:` ones included.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "hooks" / "huatuopin"

STAGES: dict[str, list[str]] = {
    # Records and what they are made of: shared by every stage, importing none of them.
    "records": [
        "__init__",
        "problems",
        "vocab",
        "urls",
        "settings",
        "media.__init__",
        "media.settings",
        "gazetteer",
        "models",
        "media.records",
        "villages.__init__",
        "villages.records",
        "troupe.__init__",
        "troupe.models",
        "troupe.ids",
    ],
    # Reading files: text and YAML with the line of every field, links refused, media sniffed
    # and probed, text scanned.
    "read": [
        "project",
        "plaintext",
        "sourcefile",
        "fields",
        "realfiles",
        "htmlpolicy",
        "personaldata",
        "textscan",
        "mediapaths",
        "places",
        "villages.slugs",
        "media.sniff",
        "media.cache",
        "media.images",
        "media.ffmpeg",
        "media.subtitles",
        "history",
    ],
    # Every check that can reject a source, each source on its own.
    "validate": [
        "stories",
        "storycache",
        "media.check",
        "villages.profiles",
        "troupe.conflicts",
        "troupe.revisions",
        "troupe.loading",
        "sitefiles",
        "redirects.__init__",
        "redirects.loading",
        "validate",
    ],
    # References linked on the publishable set, into the frozen Catalog.
    "resolve": [
        "villages.names",
        "villages.resolve",
        "troupe.resolve",
        "redirects.resolve",
        "catalog",
    ],
    # Everything made from the Catalog: pages and their views, media variants, feeds.
    "generate": [
        "safehtml",
        "search.__init__",
        "search.terms",
        "assets",
        "media.progress",
        "media.av",
        "media.pipeline",
        "media.markup",
        "troupe.feeds.base",
        "troupe.feeds.frab",
        "troupe.feeds.ics",
        "troupe.feeds.frab_xml",
        "troupe.feeds.frab_json",
        "troupe.feeds.__init__",
        "progress.__init__",
        "progress.figures",
        "progress.table",
        "progress.spreadsheets",
        "views.share",
        "views.__init__",
        "views.pagination",
        "views.cards",
        "views.chrome",
        "views.home",
        "views.problems",
        "views.changes",
        "views.withdrawn",
        "views.stories",
        "views.villages",
        "views.income_chart",
        "views.progress_chart",
        "views.progress",
        "views.village_directory",
        "views.gallery",
        "views.troupe",
        "views.address",
        "views.sharing",
        "views.story_feeds",
        "views.posters",
        "views.search",
        "views.robots",
        "views.redirects",
        "views.build",
        "releasefacts",
        "progress.report",
    ],
    # The MkDocs events, and the tools contributors run (they start from the stages above).
    # The search index: the searchable pages' records, their tokens, the indexer made from
    # them and its process run after the build (on_post_build).
    "index": ["search.records", "search.tokens", "search.indexer", "search.indexing"],
    "hooks": ["memory", "rebuilds", "sitemaps", "watching", "site", "newstory"],
}
ORDER = list(STAGES)
STAGE_OF = {module: stage for stage, modules in STAGES.items() for module in modules}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def imported(module: str, tree: ast.Module) -> set[str]:
    """The package's modules that `module` imports (a package's `__init__` for the package)."""
    package = module.split(".")[:-1]  # a package's own `__init__` is in the package too
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
            parts = [*base, *(node.module.split(".") if node.module else [])]
            for alias in node.names:
                candidate = ".".join([*parts, alias.name])
                target = ".".join(parts) or "__init__"
                found.add(candidate if candidate in STAGE_OF else _package_module(target))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("huatuopin"):
            found.add(_package_module(node.module.removeprefix("huatuopin").lstrip(".")))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("huatuopin"):
                    name = alias.name.removeprefix("huatuopin").lstrip(".")
                    found.add(_package_module(name))
    return found


def _package_module(name: str) -> str:
    if not name:
        return "__init__"
    return name if name in STAGE_OF else f"{name}.__init__"


def test_every_module_has_a_stage() -> None:
    modules = {module_name(path) for path in PACKAGE.rglob("*.py")}
    assert sorted(modules - set(STAGE_OF)) == [], "place each new module in a stage"
    assert sorted(set(STAGE_OF) - modules) == [], "a module listed here no longer exists"


def test_no_module_imports_from_a_later_stage() -> None:
    later: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        stage = ORDER.index(STAGE_OF[module])
        for target in sorted(imported(module, ast.parse(path.read_text(encoding="utf-8")))):
            target_stage = STAGE_OF.get(target)
            assert target_stage is not None, f"{module} imports {target}, which has no stage"
            if ORDER.index(target_stage) > stage:
                later.append(f"{module} ({STAGE_OF[module]}) imports {target} ({target_stage})")
    assert later == []


def test_the_graph_is_read_as_it_is_written() -> None:
    """The reader finds relative, nested, package and absolute imports."""
    tree = ast.parse(
        "from .. import urls\nfrom ..models import Story\nfrom .records import Village\n"
        "from ..media.check import cache_for\nfrom . import slugs\nimport huatuopin.troupe\n"
    )
    assert imported("villages.resolve", tree) == {
        "urls",
        "models",
        "villages.records",
        "media.check",
        "villages.slugs",
        "troupe.__init__",
    }
