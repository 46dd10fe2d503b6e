"""MkDocs hooks for the site: each event hands over to `huatuopin.site.SiteBuild`.

MkDocs imports this file once (and not again under `mkdocs serve`): restart `serve` after
changing Python code under hooks/.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from huatuopin.site import SiteBuild

build = SiteBuild()


def on_startup(command: str, dirty: bool) -> None:
    build.command = command


def on_config(config: Any) -> Any:
    build.configure(config)
    return config


def on_files(files: Any, config: Any) -> Any:
    return build.collect(files, config)


def on_env(env: Any, config: Any, files: Any) -> Any:
    return build.template_globals(env)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    build.set_template(page)
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    return build.story_content(html, page)


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    return build.page_context(context, page)
