"""The project as the contributor scripts see it: the settings mkdocs.yml gives the build."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import load_config

from .settings import CampaignSettings


@dataclass(frozen=True)
class Project:
    root: Path
    docs_dir: Path
    settings: CampaignSettings
    site_url: str | None = None  # absolute links in what leaves the site (the .docx report)

    @property
    def stories_dir(self) -> Path:
        return self.docs_dir / "stories"


def load_project(config_file: Path) -> Project:
    """Read mkdocs.yml exactly as `mkdocs build` does, so check and build agree."""
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(str(config_file))
    return Project(
        root=config_file.resolve().parent,
        docs_dir=Path(config.docs_dir).resolve(),
        settings=CampaignSettings.from_extra(config.extra),
        site_url=config.site_url,
    )
