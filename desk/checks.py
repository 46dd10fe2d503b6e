"""The build's validation of one submitted story, together with the published site.

The submission is checked where it will be published: its files are linked (hard links, so the
media cache's probe records still apply) into `docs/stories/<date>-<slug>/` of a scratch
project beside the inbox copy, read with the build's own loader, and resolved together with
everything `docs/` already publishes. So a near-miss village name, a URL clash or personal
data is found here exactly as `make check` would find it after the editor accepts, in the
same words, at the same field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import secrets
import shutil
from pathlib import Path

from huatuopin.catalog import resolve
from huatuopin.gazetteer import load_gazetteer
from huatuopin.newstory import slug_for
from huatuopin.problems import Problem
from huatuopin.project import load_project
from huatuopin.sourcefile import SourceError, read_markdown
from huatuopin.stories import STORIES_DIR, StoryResult, load_story
from huatuopin.validate import check_media, check_past_dates, validate_sources
from huatuopin.villages.records import RejectedPlace

# Beside the submission's story folder; hidden, and never published or accepted.
SCRATCH = ".check"
# A folder name for a story whose date or village is not written yet: the problem is then at
# `date` or `village`, not at a folder name the contributor never chose.
FALLBACK_STEM = "2021-01-01-gaojian"


def check_submission(project_root: Path, story_folder: Path) -> list[Problem]:
    """The build's validation of the submitted story together with the published site
    (near-miss village names, URL clashes), each Problem with field and line as make check."""
    project = load_project(project_root / "mkdocs.yml")
    gazetteer = load_gazetteer()
    stories_dir = project.docs_dir / STORIES_DIR
    stem = _free_stem(future_stem(story_folder), stories_dir)
    # Its own scratch folder per check: a save and a page view may check at the same time.
    scratch_root = story_folder.parent / f"{SCRATCH}-{secrets.token_hex(4)}"
    staged = scratch_root / project.docs_dir.relative_to(project.root) / STORIES_DIR / stem
    try:
        _link_tree(story_folder, staged)
        # Drafts are not published, so the build resolves the submission against what is.
        site = validate_sources(
            project.root,
            project.docs_dir,
            project.settings,
            include_drafts=False,
            gazetteer=gazetteer,
        )
        result = load_story(scratch_root, staged / "index.md", project.settings, gazetteer)
        result = check_past_dates(result)  # a correction dated tomorrow, as the build judges
        result = _refuse_withdrawal(result)
        result = check_media(project.root, result, project.settings)
    finally:
        shutil.rmtree(scratch_root, ignore_errors=True)
    source_path = result.source_path
    stories = site.stories + ((result.story,) if result.story is not None else ())
    rejected_places = site.rejected_places
    if result.story is None and result.place is not None:
        rejected_places += (RejectedPlace(source_path, result.village_line, result.place),)
    validated = dataclasses.replace(
        site,
        stories=stories,
        story_sources={**site.story_sources, stem: source_path},
        rejected_places=rejected_places,
        problems=(*site.problems, *result.problems),
        rejected=(*site.rejected, *((source_path,) if result.story is None else ())),
    )
    catalog = resolve(validated)
    return sorted(catalog.problems_involving(source_path.rsplit("/", 1)[0]))


def _refuse_withdrawal(result: StoryResult) -> StoryResult:
    """A submission is a story to publish: taking one down is the editors' (make takedown),
    and a `withdrawn:` accepted from the desk would publish a notice for a story nobody saw."""
    if result.withdrawn_line is None:
        return result
    problem = Problem(
        result.source_path,
        result.withdrawn_line,
        "withdrawn",
        "投稿里不能写 withdrawn：撤稿由编辑在网站上操作（make takedown）；请删去这一项",
    )
    # Not how to complete a withdrawal (a reason, an earlier date): the whole block goes.
    others = tuple(p for p in result.problems if p.field.split(".")[0] != "withdrawn")
    return dataclasses.replace(result, withdrawal=None, problems=(*others, problem))


def future_stem(story_folder: Path) -> str:
    """`<date>-<village slug>` as accepting the story names its folder (before clashes)."""
    try:
        fields = read_markdown(story_folder / "index.md", "index.md").front_matter.value
    except (SourceError, OSError):
        return FALLBACK_STEM
    date, village = fields.get("date"), fields.get("village")
    if not isinstance(date, dt.date) or not isinstance(village, str) or not village.strip():
        return FALLBACK_STEM
    return f"{date.isoformat()}-{slug_for(village)}"


def _free_stem(stem: str, stories_dir: Path) -> str:
    number = 1
    while True:
        name = stem if number == 1 else f"{stem}-{number}"
        if not (stories_dir / name).exists():
            return name
        number += 1


def _link_tree(source: Path, target: Path) -> None:
    """`source`'s files at `target`, hard-linked where the filesystem allows, else copied.

    Links inside the submission are kept as links, so the build's loader refuses them as it
    would in docs/.
    """
    target.mkdir(parents=True)
    for entry in sorted(source.iterdir()):
        destination = target / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry), destination)
        elif entry.is_dir():
            _link_tree(entry, destination)
        else:
            try:
                os.link(entry, destination)
            except OSError:
                shutil.copy2(entry, destination)
