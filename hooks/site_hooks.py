"""MkDocs hooks for the site: each event hands over to `huatuopin.site.SiteBuild`.

MkDocs imports this file once (and not again under `mkdocs serve`): restart `serve` after
changing Python code under hooks/.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

# MkDocs puts this folder on sys.path only while importing this file; the package must be
# importable from here however the hook was loaded.
sys.path.insert(0, str(Path(__file__).parent))

from huatuopin.redirects.loading import REDIRECTS_FILE
from huatuopin.search.indexing import stop_indexing
from huatuopin.site import SiteBuild, quiet_dirty_warning
from huatuopin.watching import watch_file, watch_with_events

build = SiteBuild()


def on_startup(command: str, dirty: bool) -> None:
    build.command = command
    build.dirty = dirty
    if dirty:
        quiet_dirty_warning()


def on_serve(
    server: LiveReloadServer, config: MkDocsConfig, builder: Callable[[], None]
) -> LiveReloadServer:
    watch_with_events(server)
    # Beside mkdocs.yml, outside docs/: MkDocs watches neither for it.
    watch_file(server, Path(config.config_file_path).parent / REDIRECTS_FILE)
    return server


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    build.configure(config)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    return build.collect(files, config)


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    return build.template_env(env)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return build.page_markdown(markdown, page)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return build.page_content(html, page)


# Last: after any plugin's own on_page_context.
@event_priority(-100)
def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    return build.page_context(context, page)


# Last, once the page's HTML is made: MkDocs would keep every page's Markdown and content to
# the end of the build. Nothing after this reads them: the sitemap is rendered before the
# pages, the search record was written in on_page_content, and the title stays in the meta.
@event_priority(-100)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    page.markdown = ""
    page.content = ""
    return output


def on_post_build(config: MkDocsConfig) -> None:
    build.finish(config)


def on_build_error(error: Exception) -> None:
    build.failed()


def on_shutdown() -> None:
    stop_indexing()  # a preview stopped while its search index was being made again
