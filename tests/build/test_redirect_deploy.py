"""A renamed story folder with its redirect in redirects.yml, deployed as a maintainer does:
the deploy goes ahead and says so, nginx answers the old URL with 301 in every form once it
has read the release's map, and the static page at the old URL leads on without nginx."""

from __future__ import annotations

import http.client
import subprocess
import sys
import urllib.parse
from pathlib import Path

import sitekit
from releasekit import get, serving

OLD = "2021-03-12-zhangzhuang"
NEW = "2021-03-12-zhangzhuang-guangfu"
COMMAND_TIMEOUT_SECONDS = 300


def deploy_project(project: Path, dest: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            *(sys.executable, str(sitekit.REPO_ROOT / "scripts" / "deploy")),
            *("--dest", str(dest), "--config", str(project / "mkdocs.yml")),
        ],
        env=sitekit.mkdocs_env(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )


def status_and_location(url: str) -> tuple[int, str | None]:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    connection.request("GET", parts.path)
    response = connection.getresponse()
    return response.status, response.getheader("Location")


def test_a_renamed_folder_with_its_redirect_is_deployed_and_its_old_url_moves(
    tmp_path: Path,
) -> None:
    project = sitekit.make_project(
        tmp_path / "project",
        {OLD: sitekit.story_text("光伏板"), "2021-03-13-x": sitekit.story_text("村路")},
    )
    (project / "redirects.yml").unlink(missing_ok=True)
    dest = tmp_path / "www"
    first = deploy_project(project, dest)
    assert first.returncode == 0, first.stdout + first.stderr
    stories = project / "docs" / "stories"
    (stories / OLD).rename(stories / NEW)
    (project / "redirects.yml").write_text(
        f"redirect_maps:\n  stories/{OLD}/: stories/{NEW}/\n", "utf-8"
    )

    moved = deploy_project(project, dest)

    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert f"已迁移：/stories/{OLD}/ → /stories/{NEW}/（HTTP 301）。" in moved.stdout
    assert "sudo systemctl reload nginx" in moved.stdout
    with serving(dest, tmp_path) as nginx:
        for form in ("/", "/index.html", ""):
            url = nginx.url(f"/stories/{OLD}{form}")
            assert status_and_location(url) == (301, f"/stories/{NEW}/"), form
        assert get(nginx.url(f"/stories/{NEW}/")).status == 200
    # Without nginx (any static host): the page at the old URL leads to the new one.
    with sitekit.serve_directory(dest / "current") as base_url:
        status, html = sitekit.fetch(f"{base_url}/stories/{OLD}/")
    assert status == 200
    assert f"../{NEW}/" in html
