"""What the MkDocs hooks do, event by event, kept out of the hook file so it stays thin."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import safehtml, urls
from .catalog import Catalog, build_catalog, resolve
from .gallery import gallery_pages
from .gazetteer import load_gazetteer
from .media.markup import (
    LoadOrder,
    render_story_media,
    rewrite_body_html,
    rewrite_body_markdown,
)
from .media.pipeline import MediaPublication, publish_media
from .models import Story
from .pages import GeneratedPage, problems_page, story_listings
from .realfiles import walk_hazards
from .searchindex import prune_search_index, search_scope
from .settings import CampaignSettings, SettingsError
from .troupe.publish import troupe_outputs
from .village_pages import income_chart, village_content, village_pages, village_pairs
from .vocab import ACTIVITIES, ACTIVITY_BY_NAME

log = logging.getLogger("mkdocs.plugins.huatuopin")

# Folders whose files are sources for generators: nothing in them is copied to site/ as is.
SOURCE_FOLDERS = (urls.STORIES, urls.VILLAGES, urls.TROUPE)
SERVE_COMMANDS = {"serve"}


@dataclass
class SiteBuild:
    command: str = "build"
    settings: CampaignSettings = field(default_factory=CampaignSettings)
    project_root: Path = Path()
    docs_dir: Path = Path()
    overrides_dir: str | None = None  # theme.custom_dir: our templates, all autoescaped
    catalog: Catalog | None = None
    generated: dict[str, GeneratedPage] = field(default_factory=dict)
    env: Environment | None = None
    media: MediaPublication = field(default_factory=MediaPublication)  # derived media files
    village_plans: dict[str, Markup] = field(default_factory=dict)  # src_uri → 话未来 section
    sanitized: set[str] = field(default_factory=set)  # src_uri of every page on_page_content saw

    @property
    def serving(self) -> bool:
        return self.command in SERVE_COMMANDS

    # -- events ---------------------------------------------------------------------------

    def configure(self, config: MkDocsConfig) -> None:
        try:
            self.settings = CampaignSettings.from_extra(config.extra)
        except SettingsError as error:
            raise PluginError(str(error)) from error
        self.project_root = Path(config.config_file_path).resolve().parent
        self.docs_dir = Path(config.docs_dir).resolve()
        self.overrides_dir = config.theme.custom_dir
        # MkDocs lists docs/ following links right after this event; stop before it runs away.
        hazards = walk_hazards(self.project_root, self.docs_dir)
        if hazards:
            for problem in hazards:
                log.error(str(problem))
            raise Abort(
                f"构建中止：docs/ 里有 {len(hazards)} 个会让构建没有尽头的链接；请按上面的提示删除"
            )

    def collect(self, files: Files, config: MkDocsConfig) -> Files:
        catalog, self.media = self._final_catalog()
        self.catalog = catalog
        self._report(catalog, strict=bool(config.strict))
        gazetteer = load_gazetteer()
        # Page content is rendered before MkDocs hands its own environment to on_env.
        self.env = safehtml.autoescape_overrides(config.theme.get_env(), self.overrides_dir)
        pages = story_listings(catalog, gazetteer)
        troupe_pages, troupe_files = troupe_outputs(
            catalog, gazetteer, config.site_url, self.docs_dir
        )
        pages += troupe_pages
        pages += village_pages(catalog, gazetteer)
        pages += gallery_pages(catalog, self.media, gazetteer, self.settings.media.gallery_per_page)
        if self.serving:
            pages.append(problems_page(catalog))
        self.generated = {page.src_uri: page for page in pages}
        self._drop_sources(files, catalog)
        for page in pages:
            files.append(File.generated(config, page.src_uri, content=_page_source(page)))
        for path, content in troupe_files:  # calendars, schedules and photos of the troupe
            files.append(File.generated(config, path, content=content))
        for media_file in self.media.files(config):  # /media/<hash>-<width>.webp and so on
            files.append(media_file)
        return files

    def _final_catalog(self) -> tuple[Catalog, MediaPublication]:
        """The Catalog and its derived media (cached). A file that passed its probe but could
        not be made takes its story out: the Catalog is resolved again without it, so no page
        links to it and no village is left with only it. A strict build then stops on it."""
        catalog = build_catalog(
            self.project_root, self.docs_dir, self.settings, include_drafts=self.serving
        )
        media = publish_media(catalog, self.project_root, self.settings.media)
        failures = dict(media.failures)
        while media.failures:
            catalog = resolve(catalog.validated, without=failures)
            # Made already, so found in the cache: only the kept stories' files are published.
            media = publish_media(catalog, self.project_root, self.settings.media)
            failures.update(media.failures)
        return catalog, media

    def _drop_sources(self, files: Files, catalog: Catalog) -> None:
        """Keep only published stories of the source folders and the site pages validation
        allowed; generated pages win over any file (validation refused those already)."""
        published = {story.src_uri for story in catalog.stories}
        published |= catalog.villages.profile_src_uris()
        # The rest of docs/ as checked by sitefiles.py; anything else MkDocs found under docs/
        # was refused or reached through a link, and is named in the problems.
        kept = published | catalog.site_pages
        for file in list(files):
            source = file.src_uri.startswith(SOURCE_FOLDERS)
            refused = file.src_uri not in kept and (source or self._from_docs(file))
            if refused or file.src_uri in self.generated:
                files.remove(file)

    def _from_docs(self, file: File) -> bool:
        """A file MkDocs found under docs/, not one of the theme's or a generated one."""
        return file.src_dir is not None and Path(file.src_dir).resolve() == self.docs_dir

    def _report(self, catalog: Catalog, *, strict: bool) -> None:
        for hint in catalog.hints:
            log.info(hint)
        for draft in catalog.skipped_drafts:
            log.info(f"{draft}: 草稿（draft: true），不发布")
        for problem in sorted(catalog.problems):
            log.warning(str(problem))
        if catalog.problems:
            summary = (
                f"共 {len(catalog.problems)} 个问题，{len(catalog.rejected)} 篇稿件未能发布"
                f"（{'、'.join(catalog.rejected) or '无'}）"
            )
            if strict:
                raise Abort(f"构建中止：{summary}。请按上面的提示逐条修正。")
            log.warning(summary + ("；详见 /problems/ 页面" if self.serving else ""))

    def set_template(self, page: Page) -> None:
        """Pick the page's template before MkDocs renders it."""
        if self.catalog and self.catalog.story_for_src_uri(page.file.src_uri):
            page.meta["template"] = "story.html"
        village = self.catalog.villages.for_src_uri(page.file.src_uri) if self.catalog else None
        if village is not None and village.profile is not None:
            page.meta["template"] = "village.html"
            page.meta["title"] = village.title

    def story_markdown(self, markdown: str, page: Page) -> str:
        """Pick the template; point a story's body images at their derived files."""
        self.set_template(page)
        story = self.catalog.story_for_src_uri(page.file.src_uri) if self.catalog else None
        if story is None:
            return markdown
        return rewrite_body_markdown(markdown, self.media.of(story))

    def page_content(self, html: str, page: Page) -> Markup:
        """Every page rendered from Markdown: its title as escaped text for Material, its body
        sanitized, then (for stories and villages) our escaped templates around the body."""
        safehtml.escape_page_meta(page.meta, page.title)
        body = safehtml.sanitize_body(html)
        self.sanitized.add(page.file.src_uri)
        story = self.catalog.story_for_src_uri(page.file.src_uri) if self.catalog else None
        if story is not None and self.env is not None:
            return self._story_content(body, page, story)
        return self._village_content(body, page)

    def _story_content(self, body: Markup, page: Page, story: Story) -> Markup:
        """A story page's content: the header (indexed by search), the media and the body."""
        assert self.env is not None and self.catalog is not None
        base_url = get_relative_url(".", page.url)
        header = safehtml.render(
            self.env,
            "partials/story-header.html",
            story=story,
            activity=ACTIVITY_BY_NAME[story.activity],
            base_url=base_url,
            village=story.village,
        )
        # Cover, videos, audio and pairs above the body; body <img> become <picture>.
        order = LoadOrder()
        assets = self.media.of(story)
        media = render_story_media(self.env, story, assets, base_url, order)
        html = media + rewrite_body_html(body, assets, self.env, base_url, order)
        # The body stays out of the search index unless configured otherwise: see README.
        indexed = self.settings.search_full_text
        return header + search_scope(self.env, html, "hp-story-body", indexed=indexed)

    def _village_content(self, body: Markup, page: Page) -> Markup:
        village = self.catalog.villages.for_src_uri(page.file.src_uri) if self.catalog else None
        if village is None or self.env is None:
            return body
        parts = village_content(
            self.env,
            village,
            self.catalog.stories_of(village),
            body,
            get_relative_url(".", page.url),
            full_text=self.settings.search_full_text,
        )
        self.village_plans[page.file.src_uri] = parts.plans
        return parts.content

    def template_env(self, env: Environment) -> Environment:
        """MkDocs' environment for the pages: our templates autoescaped, our globals added."""
        safehtml.autoescape_overrides(env, self.overrides_dir)
        env.globals["hp"] = {
            "catalog": self.catalog,
            "serving": self.serving,
            "activities": ACTIVITIES,
            "gazetteer": load_gazetteer(),
        }
        return env

    def finish(self, config: MkDocsConfig) -> None:
        prune_search_index(Path(config.site_dir))

    def page_context(self, context: dict[str, Any], page: Page) -> dict[str, Any]:
        if page.file.src_uri in self.sanitized and page.content is not None:
            page.content = safehtml.content_after_search(page.content)
        if self.catalog is None:
            return context
        story = self.catalog.story_for_src_uri(page.file.src_uri)
        if story is not None:
            context["story"] = story
            context["activity"] = ACTIVITY_BY_NAME[story.activity]
        village = self.catalog.villages.for_src_uri(page.file.src_uri)
        if village is not None:
            stories = self.catalog.stories_of(village)
            context["village"] = village
            context["village_stories"] = stories
            context["village_story_groups"] = self.catalog.village_stories_by_activity(village)
            context["chart"] = income_chart(village.profile.income) if village.profile else None
            context["village_plans"] = self.village_plans.get(page.file.src_uri, "")
            context["village_pairs"] = village_pairs(stories, self.media)
        generated = self.generated.get(page.file.src_uri)
        if generated is not None:
            context.update(generated.context)
        return context


def _page_source(page: GeneratedPage) -> str:
    meta: dict[str, Any] = {"title": page.title, "template": page.template}
    if not page.searchable:
        meta["search"] = {"exclude": True}
    front_matter = yaml.safe_dump(meta, allow_unicode=True, sort_keys=True)
    return f"---\n{front_matter}---\n"


__all__ = ["SiteBuild"]
