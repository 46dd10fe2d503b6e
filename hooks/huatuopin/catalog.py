"""The Catalog: every valid record of the site, and every problem found on the way."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .gazetteer import Gazetteer, load_gazetteer
from .media.check import check_story_media
from .models import Place, Story
from .problems import Problem
from .realfiles import refusal, walk
from .settings import CampaignSettings
from .sitefiles import SiteFiles, check_site_files
from .stories import StoryResult, load_story
from .troupe import Troupe, known_villages, load_troupe
from .villages import VillageMap, resolve_villages

STORIES_DIR = "stories"


@dataclass
class Catalog:
    settings: CampaignSettings
    stories: list[Story] = field(default_factory=list)  # newest first
    problems: list[Problem] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # sources not published, with problems
    skipped_drafts: list[str] = field(default_factory=list)
    # (source, line of `village`, place) of rejected stories: their village is checked too.
    rejected_places: list[tuple[str, int, Place]] = field(default_factory=list)
    # (city, county, village) → Village: profiles and villages named by stories (villages.py)
    villages: VillageMap = field(default_factory=VillageMap)
    troupe: Troupe = field(default_factory=Troupe)  # the speaking troupe: members and talks
    # docs/ outside the content folders: the files MkDocs may publish as they are
    site_files: SiteFiles = field(default_factory=SiteFiles)

    def stories_by_activity(self) -> dict[str, list[Story]]:
        groups: dict[str, list[Story]] = defaultdict(list)
        for story in self.stories:
            groups[story.activity].append(story)
        return groups

    def stories_by_city(self) -> dict[str, list[Story]]:
        groups: dict[str, list[Story]] = defaultdict(list)
        for story in self.stories:
            groups[story.place.city_slug].append(story)
        return groups

    def story_for_src_uri(self, src_uri: str) -> Story | None:
        return self._by_src_uri.get(src_uri)

    def index(self) -> None:
        self.stories.sort(key=lambda s: s.sort_key, reverse=True)
        self._by_src_uri = {s.src_uri: s for s in self.stories}


def find_story_sources(project_root: Path, docs_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Every `stories/<folder>/index.md`, and problems for files that are not in one.

    Nothing is read through a link: a linked story folder would publish the same story at a
    second URL, and a linked file may bring in anything from outside docs/ (realfiles.py).
    """
    stories_dir = docs_dir / STORIES_DIR
    sources: list[Path] = []
    problems: list[Problem] = []
    refused = refusal(stories_dir, project_root, docs_dir)
    if refused is not None:
        return sources, [refused]
    if not stories_dir.is_dir():
        return sources, problems

    def misplaced(path: Path, message: str) -> None:
        problems.append(Problem(path.relative_to(project_root).as_posix(), 1, "文件", message))

    tree = walk(stories_dir, project_root, docs_dir)
    problems.extend(tree.problems)
    refused_paths = {project_root / p.path for p in tree.problems}
    for entry in tree.files:
        if entry.parent != stories_dir:
            continue
        if entry.suffix == ".md":
            misplaced(
                entry,
                "稿件要放在自己的文件夹里：docs/stories/YYYY-MM-DD-拼音/index.md；"
                "可以用 make new-story 创建",
            )
        else:
            misplaced(entry, "这个文件不在任何稿件文件夹里，不会发布；请放进所属稿件的文件夹")
    files = set(tree.files)
    for folder in tree.folders:
        if folder.parent != stories_dir:
            continue
        index = folder / "index.md"
        if index in files:
            sources.append(index)
        elif index not in refused_paths:  # a linked index.md is reported as a link
            misplaced(folder, "稿件文件夹里缺少 index.md；请把稿件正文保存为 index.md")
    for extra in tree.files:
        story_index = extra.name == "index.md" and extra.parent.parent == stories_dir
        if extra.suffix == ".md" and extra.parent != stories_dir and not story_index:
            misplaced(
                extra,
                "一篇稿件只能有一个 Markdown 文件 index.md；请把内容并入 index.md 或删除",
            )
    return sources, problems


def build_catalog(
    project_root: Path,
    docs_dir: Path,
    settings: CampaignSettings,
    *,
    include_drafts: bool,
    only: Path | None = None,
    gazetteer: Gazetteer | None = None,
) -> Catalog:
    """Load and validate every story (or only the folder `only`), collecting all problems."""
    gazetteer = gazetteer or load_gazetteer()
    catalog = Catalog(settings)
    sources, catalog.problems = find_story_sources(project_root, docs_dir)
    if only is not None:
        only = only.resolve()
        sources = [s for s in sources if s.parent.resolve() == only]
        catalog.problems = [
            p for p in catalog.problems if (project_root / p.path).is_relative_to(only)
        ]
    for index_path in sources:
        result = load_story(project_root, index_path, settings, gazetteer)
        if include_drafts or not result.draft:
            # Opens every photo, video and recording (no encoding): check and build agree.
            check_story_media(project_root, result, settings.media)
        _add(catalog, result, include_drafts)
    # Villages come after stories: a story whose village does not check out is rejected here.
    resolve_villages(catalog, project_root, docs_dir, gazetteer, only=only)
    catalog.index()
    if only is None:  # checking one story leaves the troupe out
        # Drafts (shown by `make serve`) are never published: talks can link to none of them.
        published = [story for story in catalog.stories if not story.draft]
        profiles = [v.key for v in catalog.villages.values() if v.profile is not None]
        villages = known_villages(published, profiles)
        result = load_troupe(project_root, docs_dir, settings, gazetteer, published, villages)
        catalog.troupe = result.troupe
        catalog.problems.extend(result.problems)
        catalog.hints.extend(result.hints)
        catalog.site_files = check_site_files(project_root, docs_dir)
        catalog.problems.extend(catalog.site_files.problems)
        catalog.rejected.extend(catalog.site_files.rejected)
    return catalog


def _add(catalog: Catalog, result: StoryResult, include_drafts: bool) -> None:
    catalog.hints.extend(result.hints)
    if result.draft and not include_drafts:
        # Drafts are not published, so their unfinished state is nobody's problem yet.
        catalog.skipped_drafts.append(result.source_path)
        return
    if result.problems:
        catalog.problems.extend(result.problems)
        catalog.rejected.append(result.source_path)
        if result.place is not None:
            catalog.rejected_places.append((result.source_path, result.village_line, result.place))
    elif result.story is not None:
        catalog.stories.append(result.story)
