"""Imported once by runkit's fork server, never by a test: the third-party libraries that every
`mkdocs build`, `mkdocs serve` and `scripts/check` loads. The project's own package
(huatuopin) is deliberately not here: each run imports it afresh, from the project it builds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import click  # noqa: F401
import icalendar  # noqa: F401
import jinja2  # noqa: F401
import markdown
import markdown.extensions.admonition
import markdown.extensions.attr_list
import markdown.extensions.tables
import markdown.extensions.toc  # noqa: F401
import mkdocs.commands.build
import mkdocs.commands.serve
import mkdocs.config.defaults
import mkdocs.livereload
import mkdocs.theme  # noqa: F401
import nh3  # noqa: F401
import PIL.Image
import PIL.ImageOps  # noqa: F401
import pypinyin  # noqa: F401
import yaml  # noqa: F401

# sys.path as a fresh `python` has it (the standard library and site-packages), without
# what pytest added (tests/, hooks/): a run puts its script's folder or its working
# directory in front, as the interpreter does.
_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
INTERPRETER_PATH: list[str] = json.loads(
    subprocess.run(
        [sys.executable, "-c", "import json, sys; print(json.dumps(sys.path[1:]))"],
        env=_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
)
