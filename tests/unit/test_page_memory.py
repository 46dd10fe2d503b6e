"""A written page lets go of its Markdown and HTML: MkDocs keeps every page to the end of the
build, which at province size is a large share of the build's memory."""

from __future__ import annotations

from pathlib import Path

import site_hooks
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page


def test_a_written_page_keeps_its_title_but_not_its_text(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    config = MkDocsConfig()
    config.load_dict({"site_name": "站点", "docs_dir": str(tmp_path / "docs")})
    assert config.validate() == ([], [])
    source = "---\ntitle: 张庄村的新路\n---\n# 标题\n\n" + "村里通了路。\n" * 500
    (tmp_path / "docs" / "a.md").write_text(source, encoding="utf-8")
    file = File("a.md", str(tmp_path / "docs"), str(tmp_path / "site"), use_directory_urls=True)
    page = Page(None, file, config)
    page.read_source(config)
    page.render(config, Files([file]))
    assert "村里通了路" in page.content

    output = site_hooks.on_post_page("<html>…</html>", page=page, config=config)

    assert output == "<html>…</html>"
    assert page.markdown == "" and page.content == ""
    assert page.title == "张庄村的新路"
