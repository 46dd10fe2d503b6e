"""What the MkDocs hooks do, event by event, kept out of the hook file so it stays thin."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import safehtml, urls
from .assets import AssetError, SiteAssets, bundle_assets
from .catalog import Catalog, build_catalog, resolve
from .gazetteer import load_gazetteer
from .media.pipeline import MediaPublication, publish_media
from .memory import release_memory
from .realfiles import walk_hazards
from .rebuilds import CollectorPause, Fingerprints, ViewFile, templates_state
from .releasefacts import release_facts, write_release_facts
from .search.indexing import BackgroundIndexer, IndexerError, index_site
from .search.records import SearchRecords
from .settings import CampaignSettings, SettingsError
from .sitemaps import split_sitemap
from .storycache import forget_story_reads
from .views import Rendering, ViewSet
from .views.build import build_views

log = logging.getLogger("mkdocs.plugins.huatuopin")

# Folders whose files are sources for generators: nothing in them is copied to site/ as is.
SOURCE_FOLDERS = (urls.STORIES, urls.VILLAGES, urls.TROUPE)
SERVE_COMMANDS = {"serve"}
INCLUDED = InclusionLevel.INCLUDED
SITEMAP = "sitemap.xml"
SEARCH_RECORD_TEMPLATE = "search-record.html"
# MkDocs warns on every --dirty build that links may be stale; our pages are rendered again
# whenever what they show changed (rebuilds.py), so a contributor need not see it.
DIRTY_WARNING = "A 'dirty' build is being performed"


class _QuietDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)


def quiet_dirty_warning() -> None:
    logger = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, _QuietDirtyWarning) for f in logger.filters):
        logger.addFilter(_QuietDirtyWarning())


@dataclass
class SiteBuild:
    command: str = "build"
    # `make serve` previews with MkDocs' --dirty: only pages whose view changed are rendered.
    dirty: bool = False
    fingerprints: Fingerprints = field(default_factory=Fingerprints)
    collector: CollectorPause = field(default_factory=CollectorPause)
    settings: CampaignSettings = field(default_factory=CampaignSettings)
    project_root: Path = Path()
    docs_dir: Path = Path()
    overrides_dir: str | None = None  # theme.custom_dir: our templates, all autoescaped
    catalog: Catalog | None = None
    views: ViewSet = field(default_factory=ViewSet)
    env: Environment | None = None
    media: MediaPublication = field(default_factory=MediaPublication)  # derived media files
    stylesheets: list[str] = field(default_factory=list)  # extra_css: joined into one bundle
    assets: SiteAssets = field(default_factory=SiteAssets)  # published (hashed) asset names
    records: SearchRecords = field(default_factory=SearchRecords)  # what the index reads
    indexer: BackgroundIndexer = field(default_factory=BackgroundIndexer)  # `make serve` only
    files: Files | None = None  # a plain build's files, each holding its page once rendered

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
        # Our stylesheets go into the one bundle (assets.py); left in extra_css, Material's
        # base.html would link each of them besides.
        self.stylesheets = [str(path) for path in config.extra_css]
        config.extra_css = []
        if self.dirty and self.fingerprints.written:
            self.collector.pause()  # until the rebuild is written (rebuilds.CollectorPause)
            # The sitemap lists every page: a preview writes it once, not again after each
            # edit (nothing crawls a preview).
            config.theme.static_templates.discard(SITEMAP)
        # MkDocs lists docs/ following links right after this event; stop before it runs away.
        hazards = walk_hazards(self.project_root, self.docs_dir)
        if hazards:
            for problem in hazards:
                log.error(str(problem))
            raise Abort(
                f"构建中止：docs/ 里有 {len(hazards)} 个会让构建没有尽头的链接；请按上面的提示删除"
            )

    def collect(self, files: Files, config: MkDocsConfig) -> Files:
        if not self.serving:  # a preview's pages are MkDocs' own business between rebuilds
            self.files = files
        catalog, self.media = self._final_catalog()
        self.catalog = catalog
        self._report(catalog, strict=bool(config.strict))
        # Page content is rendered before MkDocs hands its own environment to on_env.
        self.env = safehtml.autoescape_overrides(config.theme.get_env(), self.overrides_dir)
        self.views = build_views(
            catalog,
            self.media,
            load_gazetteer(),
            serving=self.serving,
            site_url=config.site_url,
            docs_dir=self.docs_dir,
            env=self.env,
            site_name=config.site_name,
        )
        self.records.keep_only(view.url for view in self.views.views.values() if view.searchable)
        self._drop_sources(files, catalog)
        for view in self.views.generated():
            files.append(ViewFile.generated(config, view.src_uri, content=view.stub()))
        for src_uri in self.views.sources():
            source = files.get_file_from_path(src_uri)
            if source is not None:
                files.remove(source)
                files.append(ViewFile.of_source(source))
        for path, content in self.views.files:  # calendars, schedules and photos of the troupe
            # Included by name: MkDocs would leave out a dot path (a withdrawn story's marker,
            # .huatuopin/redirects.map).
            files.append(File.generated(config, path, content=content, inclusion=INCLUDED))
        for media_file in self.media.files(config):  # /media/<hash>-<width>.webp and so on
            files.append(media_file)
        try:
            self.assets = bundle_assets(files, config, self.stylesheets)
        except AssetError as error:
            raise PluginError(str(error)) from error
        self.env.globals["assets"] = self.assets  # our partials in page content link scripts
        if self.dirty:
            changed = self.fingerprints.mark(files, self.views.views, self._around(config))
            log.info(f"预览：{changed} 个页面需要重新生成")
        return files

    def _around(self, config: MkDocsConfig) -> str:
        """What every page is made from besides its view: a change here renders them all."""
        config_text = Path(config.config_file_path).read_text("utf-8", "replace")
        folders = [Path(self.overrides_dir)] if self.overrides_dir else []
        return "\n".join(
            (repr(self.views.chrome), repr(self.assets), config_text, templates_state(folders))
        )

    def _final_catalog(self) -> tuple[Catalog, MediaPublication]:
        """The Catalog and its derived media (cached). A file that passed its probe but could
        not be made takes its story out: the Catalog is resolved again without it, so no page
        links to it and no village is left with only it. A strict build then stops on it; a
        member photo that could not be made stops every build."""
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
        if media.photo_failures:
            # A member photo passed the check minutes ago: it was replaced or damaged since.
            problems = "\n".join(map(str, media.photo_failures))
            raise Abort(f"{problems}\n构建中止：成员照片在检查之后变了；请核对后重新构建")
        return catalog, media

    def _drop_sources(self, files: Files, catalog: Catalog) -> None:
        """Keep only published stories of the source folders and the site pages validation
        allowed; generated pages win over any file (validation refused those already)."""
        # Stories and profiles are their views' sources; the rest of docs/ as checked by
        # sitefiles.py. Anything else MkDocs found under docs/ was refused or reached through a
        # link, and is named in the problems.
        kept = self.views.sources() | catalog.site_pages
        generated = {view.src_uri for view in self.views.generated()}
        for file in list(files):
            source = file.src_uri.startswith(SOURCE_FOLDERS)
            refused = file.src_uri not in kept and (source or self._from_docs(file))
            if refused or file.src_uri in generated:
                files.remove(file)

    def _from_docs(self, file: File) -> bool:
        """A file MkDocs found under docs/, not one of the theme's or a generated one."""
        return file.src_dir is not None and Path(file.src_dir).resolve() == self.docs_dir

    def _report(self, catalog: Catalog, *, strict: bool) -> None:
        for hint in catalog.hints:
            log.info(hint)
        for draft in catalog.skipped_drafts:
            log.info(f"{draft}: 草稿（draft: true），不发布")
        for gone in catalog.withdrawn:  # `make deploy` prints it: the record of a takedown
            log.info(f"{gone.url}：已撤稿（{gone.date.isoformat()}，{gone.reason}）")
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

    def page_markdown(self, markdown: str, page: Page) -> str:
        """A page with a view takes the view's template and title, and its Markdown."""
        view = self.views.of(page.file.src_uri)
        if view is None:
            return markdown
        page.meta["template"] = view.template
        page.meta["title"] = view.title
        if view.share is not None:  # escaped with the title in page_content
            page.meta["description"] = view.share.description
            if not view.share.indexed:  # overrides/sitemap.xml leaves it out
                page.meta["robots"] = "noindex"
        return view.markdown(markdown)

    def page_content(self, html: str, page: Page) -> Markup:
        """Every page rendered from Markdown: its title as escaped text for Material, its body
        sanitized, then handed to the page's view (stories and villages add our partials)."""
        safehtml.escape_page_meta(page.meta, page.title)
        body = safehtml.sanitize_body(html)
        view = self.views.of(page.file.src_uri)
        if view is None or self.env is None:
            return body
        rendering = Rendering(
            self.env, get_relative_url(".", page.url), self.settings.search_full_text
        )
        content = view.content(body, rendering)
        if view.search is not None:
            record = rendering.render(SEARCH_RECORD_TEMPLATE, html=content, entry=view.search)
            self.records.write(view.url, record)
        return content

    def template_env(self, env: Environment) -> Environment:
        """MkDocs' environment for the pages: our templates autoescaped, our globals added."""
        safehtml.autoescape_overrides(env, self.overrides_dir)
        env.globals["chrome"] = self.views.chrome
        env.globals["assets"] = self.assets
        return env

    def finish(self, config: MkDocsConfig) -> None:
        """The sitemap split when it is too long for one file (sitemaps.py), and the search
        index, made from the records of the pages just written (search/indexing.py); in a
        preview, the outputs of pages that are gone are removed first."""
        site_dir = Path(config.site_dir)
        self.collector.resume_later()
        if self.dirty:
            for dest_uri in self.fingerprints.built(site_dir):
                log.info(f"预览：{dest_uri} 已不在网站上，删去")
        # Only when this build wrote it: a preview's rebuilds leave the first one in place.
        if self.env is not None and SITEMAP in config.theme.static_templates:
            split_sitemap(site_dir, self.env, config.site_url)
        if self.serving:  # the records last from one rebuild to the next
            self.indexer.request(site_dir, self.records.folder)
            return
        if self.catalog is not None:  # what a deploy reads from the release (releasefacts.py)
            facts = release_facts(self.catalog, self.media)
            write_release_facts(site_dir, facts)
        self._let_go()
        try:
            report = index_site(site_dir, self.records.folder)
        except IndexerError as error:
            raise Abort(f"构建中止：{error}") from error
        finally:
            self.records.remove()
        log.info(str(report))

    def _let_go(self) -> None:
        """A plain build has written every page: what made them goes before the search
        indexer starts, so the two do not hold their memory at the same time (a preview keeps
        all of it for its next rebuild, and never comes here)."""
        if self.files is not None:
            # MkDocs keeps its Files, and each its Page with toc and meta, to the end of the
            # build; nothing reads a page once it is written but the strict warning count.
            for file in self.files:
                file.page = None
            self.files = None
        self.catalog = None
        self.views = ViewSet()
        self.env = None
        self.media = MediaPublication()
        forget_story_reads()
        release_memory()

    def failed(self) -> None:
        """A rebuild that stopped on an error: its garbage is collected all the same."""
        self.collector.resume_later()

    def page_context(self, context: dict[str, Any], page: Page) -> dict[str, Any]:
        view = self.views.of(page.file.src_uri)
        if view is not None:
            context.update(view.context(), share=view.share)
        return context


__all__ = ["SiteBuild"]
