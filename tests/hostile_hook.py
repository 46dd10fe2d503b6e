"""Test-only MkDocs hook, listed after hooks/site_hooks.py by `hostilekit.add_hostile_hook`.

It lets a build show what the output side does on its own, whatever validation would refuse:

- `scanner: false` silences the HTML scanner, so a body full of payloads is published and
  only the sanitizer stands between it and the reader;
- `taint: [mark, value]` replaces `mark` with `value` in every text of the Catalog after
  validation, and in every page's front-matter as MkDocs read it, so markup reaches the
  templates the way a future path (or serve mode) could bring it, without depending on what
  the loaders accept;
- `serving: true` builds as `mkdocs serve` would (drafts and the /problems/ page);
- `templates: <file>` writes the name of every template Jinja loaded into that file.

Its settings are read from `hostile.json` beside mkdocs.yml.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import jinja2

SETTINGS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "hostile.json").read_text(encoding="utf-8")
)
SITE_HOOKS = "hooks/site_hooks.py"  # the module name MkDocs gives the site's hook file
loaded_templates: set[str] = set()


def _no_findings(text: str) -> list[Any]:
    return []


def _taint(value: Any, mark: str, replacement: str, seen: set[int]) -> Any:
    """`value` with `mark` replaced in every string it holds; records are changed in place,
    so every reference to a record (a village's stories, a talk's members) sees the change."""
    if isinstance(value, str):
        return value.replace(mark, replacement)
    if id(value) in seen:
        return value
    seen.add(id(value))
    if isinstance(value, list):
        value[:] = [_taint(item, mark, replacement, seen) for item in value]
    elif isinstance(value, dict):
        for key in list(value):
            value[key] = _taint(value[key], mark, replacement, seen)
    elif isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_taint(item, mark, replacement, seen) for item in value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for name, item in vars(value).items():
            object.__setattr__(value, name, _taint(item, mark, replacement, seen))
    return value


def on_config(config: Any) -> Any:
    site_hooks = sys.modules[SITE_HOOKS]
    if SETTINGS.get("serving"):
        site_hooks.build.command = "serve"
    if SETTINGS.get("scanner") is False:
        for name, module in list(sys.modules.items()):
            if name.startswith("huatuopin") and hasattr(module, "find_unsafe_html"):
                module.find_unsafe_html = _no_findings
    if SETTINGS.get("taint"):
        mark, replacement = SETTINGS["taint"]
        site = sys.modules["huatuopin.site"]
        build_catalog = site.build_catalog

        def tainted_catalog(*args: Any, **kwargs: Any) -> Any:
            return _taint(build_catalog(*args, **kwargs), mark, replacement, set())

        site.build_catalog = tainted_catalog
    if SETTINGS.get("templates"):
        get_source = jinja2.FileSystemLoader.get_source

        def recording_get_source(self: Any, environment: Any, template: str) -> Any:
            loaded_templates.add(template)
            return get_source(self, environment, template)

        jinja2.FileSystemLoader.get_source = recording_get_source  # type: ignore[method-assign]
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if SETTINGS.get("taint"):
        mark, replacement = SETTINGS["taint"]
        _taint(page.meta, mark, replacement, set())
    return markdown


def on_post_build(config: Any) -> None:
    if SETTINGS.get("templates"):
        target = Path(config.config_file_path).parent / SETTINGS["templates"]
        target.write_text(json.dumps(sorted(loaded_templates)), encoding="utf-8")
