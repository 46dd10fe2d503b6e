"""`make deploy` and `make rollback`: a release folder per deploy, an atomic `current` switch,
five releases kept, and nothing live touched by a failed build, a failed copy or compression,
or an interrupted run.

`make deploy` runs end to end once (it builds the repository's own content); the other tests
make releases from the sample site built once for the run, as the deploy does after its build.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import releasekit
import sitekit
from releasekit import Clock

import deploy.releases
from deploy.precompress import gzip_bytes, precompress
from deploy.releases import Destination, ReleaseError, prune, rollback

STAMP = ".venv/.installed-from-lock"
COMMAND_TIMEOUT_SECONDS = 300


def make(*args: str) -> subprocess.CompletedProcess[str]:
    """`make` in the repository, its venv stamp marked old enough (`-o`): never reinstalls."""
    return subprocess.run(
        ["make", "--no-print-directory", "-o", STAMP, *args],
        cwd=sitekit.REPO_ROOT,
        env=sitekit.mkdocs_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )


def script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(sitekit.REPO_ROOT / "scripts" / name), *args],
        env=sitekit.mkdocs_env(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )


def live_name(dest: Path) -> str:
    return os.readlink(dest / "current")


def release_names(dest: Path) -> list[str]:
    return sorted(entry.name for entry in (dest / "releases").iterdir())


def tiny_site(folder: Path) -> None:
    """A release's worth of files without a build: a page, a style sheet, an icon."""
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text("<!doctype html><title>话脱贫</title>" * 40, "utf-8")
    (folder / "assets" / "site.css").write_text("body { color: #222 }\n" * 40, "utf-8")
    (folder / "assets" / "icon.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))


def deploy_tiny(dest: Path, clock: Clock) -> str:
    return deploy.releases.deploy(Destination(dest), tiny_site, "abc1234", clock=clock).release.name


# -- end to end, as a maintainer runs it ------------------------------------------------------


def test_make_deploy_builds_publishes_and_says_what_it_did(
    tmp_path: Path, sample_site: sitekit.StaticSite
) -> None:
    """`sample_site` has encoded the sample media into the run's cache: this build reuses it."""
    dest = tmp_path / "www"
    completed = make("deploy", f"DEST={dest}")

    assert completed.returncode == 0, completed.stdout
    [name] = release_names(dest)
    assert live_name(dest) == f"releases/{name}"
    assert f"已发布新版本 {name}" in completed.stdout
    assert "个文件" in completed.stdout and "字节" in completed.stdout
    assert "预先压缩" in completed.stdout and "（gzip）" in completed.stdout
    # The sample's withdrawal, move and correction, from the release's facts.
    assert "已撤下：/stories/2021-04-15-taiqinggong-chehui/（2022-03-01）" in completed.stdout
    assert (
        "已迁移：/stories/2021-03-12-zhangzhuang/ → /stories/2021-03-12-zhangzhuang-guangfu/"
        in completed.stdout
    )
    assert "有更正：/stories/2021-03-12-zhangzhuang-guangfu/（2021-03-20）" in completed.stdout
    assert "sudo systemctl reload nginx" in completed.stdout  # its first redirect map
    live = dest / "current"
    assert (live / "index.html").is_file() and (live / "404.html").is_file()
    page = (live / "stories" / "index.html").read_bytes()
    assert gzip.decompress((live / "stories" / "index.html.gz").read_bytes()) == page
    assert list((dest / "releases").glob(".incoming-*")) == []

    # One release only: nothing to go back to, said plainly, and nothing changed.
    refused = make("rollback", f"DEST={dest}")
    assert refused.returncode != 0
    assert f"线上版本 {name} 已是保留的最早版本，没有更早的版本可以回退" in refused.stdout
    assert "Traceback" not in refused.stdout
    assert live_name(dest) == f"releases/{name}"


@pytest.mark.parametrize("target", ["deploy", "rollback", "serve-release", "takedown"])
def test_make_without_dest_says_what_to_write(target: str) -> None:
    completed = make(target)

    assert completed.returncode != 0
    assert f"请写上发布目录，例如：make {target} DEST=/srv/huatuopin" in completed.stdout
    assert "scripts/" not in completed.stdout  # stopped before running anything


def test_make_serve_release_takes_port_and_defaults_beside_make_serve() -> None:
    assert "--port=8090" in make("-n", "serve-release", "DEST=/srv/x", "PORT=8090").stdout
    assert "--port=8080" in make("-n", "serve-release", "DEST=/srv/x").stdout


def test_a_failing_build_leaves_the_live_release_and_no_new_folder(
    tmp_path: Path, sample_site: sitekit.StaticSite
) -> None:
    dest = tmp_path / "www"
    releasekit.deploy_copy(dest, sample_site.site_dir, "live", Clock())
    before = release_names(dest)
    broken = sitekit.story_text("有问题的稿件", activity="回乡看")
    project = sitekit.make_project(tmp_path / "project", {"2021-03-12-broken": broken})

    completed = script("deploy", "--dest", str(dest), "--config", str(project / "mkdocs.yml"))

    assert completed.returncode == 1
    assert "“回乡看”不是活动类型" in completed.stdout + completed.stderr
    assert completed.stderr.strip().splitlines()[-1] == (
        "构建没有通过（问题见上面），没有发布新版本；线上版本没有改动。"
    )
    assert release_names(dest) == before  # no new release, no temporary folder
    assert live_name(dest) == f"releases/{before[0]}"
    assert (dest / "current" / releasekit.MARKER).read_text("utf-8") == "live"


def test_rollback_goes_back_one_release_at_a_time_and_says_which(tmp_path: Path) -> None:
    dest = tmp_path / "www"
    clock = Clock()
    first, second, third = (deploy_tiny(dest, clock) for _ in range(3))

    completed = script("rollback", "--dest", str(dest))
    assert completed.returncode == 0, completed.stderr
    assert f"已回退：线上版本从 {third} 换成了 {second}。" in completed.stdout
    assert live_name(dest) == f"releases/{second}"

    assert rollback(Destination(dest))[1].name == first
    with pytest.raises(ReleaseError, match="没有更早的版本可以回退"):
        rollback(Destination(dest))
    assert live_name(dest) == f"releases/{first}"
    # A deploy after a rollback is the newest and live again.
    fourth = deploy_tiny(dest, clock)
    assert live_name(dest) == f"releases/{fourth}"


def test_rollback_with_nothing_deployed_refuses(tmp_path: Path) -> None:
    completed = script("rollback", "--dest", str(tmp_path / "www"))

    assert completed.returncode == 1
    assert completed.stderr.strip() == f"{tmp_path / 'www'} 还没有发布过任何版本，无法回退。"


# -- releases kept ---------------------------------------------------------------------------


def test_six_deploys_keep_the_five_newest(tmp_path: Path) -> None:
    dest = tmp_path / "www"
    clock = Clock()
    names = [deploy_tiny(dest, clock) for _ in range(6)]

    assert release_names(dest) == names[1:]
    assert live_name(dest) == f"releases/{names[-1]}"


def test_the_live_release_is_kept_even_when_it_is_old(tmp_path: Path) -> None:
    dest = tmp_path / "www"
    clock = Clock()
    names = [deploy_tiny(dest, clock) for _ in range(3)]
    destination = Destination(dest)
    rollback(destination)
    rollback(destination)

    assert prune(destination, keep=1) == (names[1],)
    assert release_names(dest) == [names[0], names[2]]
    assert live_name(dest) == f"releases/{names[0]}"


def test_release_names_are_utc_time_and_commit_in_the_order_made(tmp_path: Path) -> None:
    dest = tmp_path / "www"
    clock = Clock()
    names = [deploy_tiny(dest, clock) for _ in range(2)]

    assert names == ["20260101T000100Z-abc1234", "20260101T000200Z-abc1234"]


def test_a_deploy_in_the_same_second_waits_for_the_next(tmp_path: Path) -> None:
    dest = tmp_path / "www"
    first = deploy.releases.deploy(Destination(dest), tiny_site, "abc1234").release
    second = deploy.releases.deploy(Destination(dest), tiny_site, "abc1234").release

    assert second.made > first.made
    assert release_names(dest) == [first.name, second.name]


# -- failures never touch what is live ---------------------------------------------------------


class CopyFailed(Exception):
    pass


@pytest.mark.parametrize("interruption", [CopyFailed, KeyboardInterrupt])
def test_an_interrupted_copy_leaves_current_as_it_was(
    tmp_path: Path, sample_site: sitekit.StaticSite, interruption: type[BaseException]
) -> None:
    """Part of the site copied, then a failure (a full disk, a vanished file) or Ctrl-C."""
    dest = tmp_path / "www"
    releasekit.deploy_copy(dest, sample_site.site_dir, "live", Clock())
    before, live = release_names(dest), live_name(dest)

    def fill(folder: Path) -> None:
        (folder / "index.html").write_bytes((sample_site.site_dir / "index.html").read_bytes())
        (folder / "stories").mkdir()
        raise interruption

    with pytest.raises(interruption):
        deploy.releases.deploy(Destination(dest), fill, "abc1234", clock=Clock())

    assert release_names(dest) == before
    assert live_name(dest) == live
    assert (dest / "current" / releasekit.MARKER).read_text("utf-8") == "live"


def test_a_failing_compression_leaves_current_as_it_was(
    tmp_path: Path, sample_site: sitekit.StaticSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "www"
    releasekit.deploy_copy(dest, sample_site.site_dir, "live", Clock())
    before, live = release_names(dest), live_name(dest)

    def broken(root: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(deploy.releases, "precompress", broken)
    with pytest.raises(OSError, match="No space left"):
        releasekit.deploy_copy(dest, sample_site.site_dir, "new", Clock())

    assert release_names(dest) == before
    assert live_name(dest) == live


def test_a_folder_left_by_a_killed_deploy_is_removed_by_the_next(tmp_path: Path) -> None:
    dest = tmp_path / "www"
    clock = Clock()
    first = deploy_tiny(dest, clock)
    left = dest / "releases" / ".incoming-killed"
    left.mkdir()
    (left / "index.html").write_text("half", "utf-8")
    (dest / ".current-999999").symlink_to("releases/.incoming-killed")

    second = deploy_tiny(dest, clock)

    assert release_names(dest) == [first, second]
    assert not (dest / ".current-999999").is_symlink()
    assert live_name(dest) == f"releases/{second}"


def test_a_current_that_is_not_a_link_is_refused_before_building(tmp_path: Path) -> None:
    dest = tmp_path / "www"
    (dest / "current").mkdir(parents=True)
    built: list[Path] = []

    with pytest.raises(ReleaseError, match="不是符号链接"):
        deploy.releases.deploy(Destination(dest), built.append, "abc1234", clock=Clock())

    assert built == []
    assert (dest / "current").is_dir()


# -- precompression ---------------------------------------------------------------------------


def test_gzip_is_written_beside_text_files_only_where_it_helps(tmp_path: Path) -> None:
    site = tmp_path / "site"
    tiny_site(site)
    (site / "tiny.txt").write_text("好", "utf-8")
    (site / "feed.ics").write_text("BEGIN:VCALENDAR\r\n" * 50, "utf-8")

    done = precompress(site)

    assert sorted(path.name for path in site.rglob("*.gz")) == [
        "feed.ics.gz",
        "index.html.gz",
        "site.css.gz",
    ]
    assert (done.candidates, done.written) == (4, 3)
    for name in ("index.html", "assets/site.css", "feed.ics"):
        original = (site / name).read_bytes()
        assert gzip.decompress((site / f"{name}.gz").read_bytes()) == original
    assert done.gzip_bytes < done.original_bytes


def test_gzip_output_is_the_same_bytes_every_time() -> None:
    data = "村里的光伏板一排排立在屋顶上。".encode() * 100

    assert gzip_bytes(data) == gzip_bytes(data)
    assert gzip_bytes(data)[4:8] == b"\0\0\0\0"  # mtime 0
    assert gzip.decompress(gzip_bytes(data)) == data


# -- no live story URL vanishes ----------------------------------------------------------------


def test_a_renamed_story_folder_without_a_redirect_is_refused_naming_its_url(
    tmp_path: Path,
) -> None:
    """As a maintainer runs it: the first deploy, then the folder renamed in the project."""
    old, new = "2021-03-12-zhangzhuang", "2021-03-12-zhangzhuang-guangfu"
    project = sitekit.make_project(
        tmp_path / "project",
        {old: sitekit.story_text("光伏板"), "2021-03-13-x": sitekit.story_text("村路")},
    )
    dest = tmp_path / "www"
    config = ("--config", str(project / "mkdocs.yml"))
    first = script("deploy", "--dest", str(dest), *config)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "没有核对" not in first.stdout  # nothing was live: nothing to check
    before, live = release_names(dest), live_name(dest)
    (project / "docs" / "stories" / old).rename(project / "docs" / "stories" / new)

    refused = script("deploy", "--dest", str(dest), *config)

    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines()[-1] == (
        f"线上版本的这些稿件地址在新版本里没有了：/stories/{old}/。"
        "读者手里的链接会打不开。改了稿件文件夹名的，请在 redirects.yml 里加一条从旧地址"
        "到新地址的跳转；要撤下的，请在稿件里写上 withdrawn:（make takedown）。"
        "没有发布新版本，线上版本没有改动。"
    )
    assert "Traceback" not in refused.stderr
    assert release_names(dest) == before
    assert live_name(dest) == live


def test_every_vanished_url_is_named_and_a_withdrawal_or_redirect_keeps_it(
    tmp_path: Path, sample_site: sitekit.StaticSite
) -> None:
    dest = tmp_path / "www"
    releasekit.deploy_copy(dest, sample_site.site_dir, "live", Clock())
    facts = releasekit.read_facts(sample_site.site_dir)
    first, second, third = sorted(facts["stories"])[:3]
    site = releasekit.site_copy(sample_site.site_dir, tmp_path / "site")
    changed = releasekit.read_facts(site)
    for url in (first, second, third):
        del changed["stories"][url]
    changed["withdrawn"][third] = "2026-11-30"
    releasekit.write_facts(site, changed)

    with pytest.raises(ReleaseError) as refused:
        releasekit.deploy_copy(dest, site, "new", Clock(datetime(2030, 1, 1, tzinfo=UTC)))
    assert f"没有了：/{first}、/{second}。" in str(refused.value)

    changed["redirects"][first] = changed["redirects"][second] = sorted(changed["stories"])[0]
    releasekit.write_facts(site, changed)
    done = releasekit.deploy_copy(dest, site, "new", Clock(datetime(2030, 1, 1, tzinfo=UTC)))
    assert done.checked
    assert live_name(dest) == f"releases/{done.release.name}"


def test_a_live_release_made_before_the_facts_is_not_checked_and_the_deploy_says_so(
    tmp_path: Path,
) -> None:
    dest = tmp_path / "www"
    deploy_tiny(dest, Clock(datetime(2020, 1, 1, tzinfo=UTC)))  # a release without facts
    project = sitekit.make_project(
        tmp_path / "project", {"2021-03-13-x": sitekit.story_text("村路")}
    )

    completed = script("deploy", "--dest", str(dest), "--config", str(project / "mkdocs.yml"))

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "是在记录稿件地址之前发布的，这次没有核对是否有稿件地址消失" in completed.stdout


def test_a_rollback_across_a_change_of_redirects_says_to_reload_nginx(tmp_path: Path) -> None:
    dest = tmp_path / "www"
    clock = Clock()
    deploy_tiny(dest, clock)

    def with_map(folder: Path) -> None:
        tiny_site(folder)
        (folder / ".huatuopin").mkdir()
        (folder / ".huatuopin" / "redirects.map").write_text('"/stories/a/" "/stories/b/";\n')

    done = deploy.releases.deploy(Destination(dest), with_map, "abc1234", clock=clock)
    assert done.map_changed

    completed = script("rollback", "--dest", str(dest))

    assert completed.returncode == 0, completed.stderr
    assert "请让 nginx 重新读取配置：sudo systemctl reload nginx" in completed.stdout


def test_a_redirect_map_nginx_could_not_read_is_refused_before_the_switch(tmp_path: Path) -> None:
    dest = tmp_path / "www"
    clock = Clock()
    live = deploy_tiny(dest, clock)

    def with_bad_map(folder: Path) -> None:
        tiny_site(folder)
        (folder / ".huatuopin").mkdir()
        (folder / ".huatuopin" / "redirects.map").write_text(
            '# moved stories\n"/stories/a/" "/stories/b/";\n"/stories/c/" "/x/"; include /etc;\n'
        )

    with pytest.raises(ReleaseError, match=r"第 3 行.*nginx 读不了"):
        deploy.releases.deploy(Destination(dest), with_bad_map, "abc1234", clock=clock)

    assert release_names(dest) == [live]
    assert live_name(dest) == f"releases/{live}"


def test_an_old_address_too_long_for_nginxs_map_is_refused(tmp_path: Path) -> None:
    dest = tmp_path / "www"
    clock = Clock()
    live = deploy_tiny(dest, clock)
    long_folder = "2021-03-12-" + "a" * 200

    def with_long_map(folder: Path) -> None:
        tiny_site(folder)
        (folder / ".huatuopin").mkdir()
        (folder / ".huatuopin" / "redirects.map").write_text(
            f'"/stories/{long_folder}/" "/stories/b/";\n'
        )

    with pytest.raises(ReleaseError, match="第 1 行"):
        deploy.releases.deploy(Destination(dest), with_long_map, "abc1234", clock=clock)
    assert live_name(dest) == f"releases/{live}"
