"""`make takedown STORY=… REASON=… DEST=…`: `withdrawn:` written into the story's front-matter
with every other byte kept, then the same deploy as `make deploy`; refusals before anything is
written, and a failed deploy said plainly."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import mediakit
import pytest
import releasekit
import searchkit
import sitekit
from releasekit import get

from deploy.releases import Destination, rollback

FOLDER = "2021-03-12-zhangzhuang"
COMMAND_TIMEOUT_SECONDS = 300


def run_script(
    name: str, project: Path, dest: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """scripts/<name> on `project`, as `make <name>` runs it."""
    return subprocess.run(
        [
            *(sys.executable, str(sitekit.REPO_ROOT / "scripts" / name)),
            *("--dest", str(dest), "--config", str(project / "mkdocs.yml"), *args),
        ],
        env=sitekit.mkdocs_env(own_media_cache=True),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )


def takedown(project: Path, dest: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_script("takedown", project, dest, *args)


def today_in_china() -> str:
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def script_deploy(project: Path, dest: Path) -> subprocess.CompletedProcess[str]:
    return run_script("deploy", project, dest)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sitekit.make_project(tmp_path / "project", {FOLDER: sitekit.story_text("光伏板")})


@pytest.fixture
def unusable_dest(tmp_path: Path) -> Path:
    """A destination the deploy refuses at once: its `current` is a folder, not a link."""
    dest = tmp_path / "www"
    (dest / "current").mkdir(parents=True)
    return dest


def index_of(project: Path) -> Path:
    return project / "docs" / "stories" / FOLDER / "index.md"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_withdrawn_is_written_and_a_failed_deploy_says_what_to_do(
    project: Path, unusable_dest: Path, newline: str
) -> None:
    index = index_of(project)
    original = index.read_text("utf-8").replace("\n", newline)
    original = original.replace("光伏板", "光伏板 # 标题里的注释也留着")
    index.write_bytes(original.encode("utf-8"))
    reason = '应当事人要求撤下全家福照片: "原图" $HOME'

    completed = takedown(
        project, unusable_dest, "--story", f"docs/stories/{FOLDER}", "--reason", reason
    )

    closing = original.index(f"{newline}---{newline}", 3) + len(newline)
    block = newline.join(
        [
            "withdrawn:",
            f"  date: {today_in_china()}",
            '  reason: "应当事人要求撤下全家福照片: \\"原图\\" $HOME"',
            "",
        ]
    )
    assert index.read_bytes().decode("utf-8") == original[:closing] + block + original[closing:]
    assert completed.returncode == 1
    assert "不是符号链接" in completed.stderr
    assert (
        completed.stderr.strip()
        .splitlines()[-1]
        .startswith(
            f"docs/stories/{FOLDER}/index.md 的 withdrawn: 已经写好，但发布没有完成（原因见上）"
        )
    )
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize(("start", "closing"), [("\ufeff---\n", "\n---\n"), ("---\n", "\n...\n")])
def test_withdrawn_is_written_in_a_file_the_build_reads_with_a_bom_or_a_dots_closing_line(
    project: Path, unusable_dest: Path, start: str, closing: str
) -> None:
    index = index_of(project)
    text = index.read_text("utf-8")
    end = text.index("\n---\n", 3)
    original = start + text[4:end] + closing + text[end + 5 :]
    index.write_bytes(original.encode("utf-8"))

    takedown(project, unusable_dest, "--story", f"docs/stories/{FOLDER}", "--reason", "应要求")

    at = original.index(closing, 4) + 1
    block = f'withdrawn:\n  date: {today_in_china()}\n  reason: "应要求"\n'
    assert index.read_bytes().decode("utf-8") == original[:at] + block + original[at:]


def test_a_front_matter_the_block_would_break_is_left_alone_with_the_lines_to_add(
    project: Path, unusable_dest: Path
) -> None:
    index = index_of(project)
    text = index.read_text("utf-8")
    end = text.index("\n---\n", 3)
    # Indented as a whole: valid YAML the build reads, but a `withdrawn:` at column 0 breaks it.
    indented = "---\n" + "".join(f"  {line}\n" for line in text[4:end].split("\n"))
    index.write_text(indented + text[end + 1 :], "utf-8")
    before = index.read_bytes()

    completed = takedown(
        project, unusable_dest, "--story", f"docs/stories/{FOLDER}", "--reason", "应要求"
    )

    assert completed.returncode == 1
    assert index.read_bytes() == before
    assert "没法自动加上 withdrawn:" in completed.stderr
    assert f"  date: {today_in_china()}" in completed.stderr
    assert "不是符号链接" not in completed.stderr  # nothing deployed
    assert "Traceback" not in completed.stderr


def test_an_already_withdrawn_story_is_said_so_and_deployed_again(
    project: Path, unusable_dest: Path
) -> None:
    index = index_of(project)
    takedown(project, unusable_dest, "--story", f"docs/stories/{FOLDER}", "--reason", "第一次")
    written = index.read_bytes()

    completed = takedown(
        project, unusable_dest, "--story", f"docs/stories/{FOLDER}", "--reason", "第二次"
    )

    assert index.read_bytes() == written
    assert f"已经撤下（{today_in_china()}），没有改动；照样发布一次" in completed.stdout
    assert "不是符号链接" in completed.stderr  # the deploy was run


@pytest.mark.parametrize(
    ("story", "reason", "said"),
    [
        (f"docs/stories/{FOLDER}", "", "请写上撤下的原因"),
        (f"docs/stories/{FOLDER}", "   ", "请写上撤下的原因"),
        (f"docs/stories/{FOLDER}", "第一行\n第二行", "撤下的原因只能写一行"),
        (f"docs/stories/{FOLDER}", "长" * 81, "撤下的原因有 81 个字，最多 80 个"),
        ("docs/stories/2021-01-01-no-such", "应当事人要求", "里没有 index.md"),
        ("docs/villages", "应当事人要求", "不是 docs/stories/ 里的稿件文件夹"),
        ("", "应当事人要求", "请写上要撤下的稿件文件夹"),
        (f"docs/stories/{FOLDER}", "当事人来电１３８ 1234-5678", "撤下的原因里含有手机号码"),
    ],
)
def test_a_bad_story_or_reason_is_refused_before_anything_is_written(
    project: Path, tmp_path: Path, story: str, reason: str, said: str
) -> None:
    before = index_of(project).read_bytes()

    completed = takedown(project, tmp_path / "www", "--story", story, "--reason", reason)

    assert completed.returncode == 1
    assert said in completed.stderr
    assert "Traceback" not in completed.stderr
    assert index_of(project).read_bytes() == before
    assert not (tmp_path / "www").exists()  # nothing deployed


# -- end to end, with real builds ----------------------------------------------------------------

GONE_TITLE = "屋顶上的光伏板"


def test_a_takedown_writes_deploys_and_leaves_nothing_to_come_back(tmp_path: Path) -> None:
    kept = "2021-03-13-zhangzhuang-lu"
    project = sitekit.make_project(
        tmp_path / "project",
        {
            FOLDER: sitekit.story_text(GONE_TITLE, extra="cover: cover.jpg\nconsent: true\n"),
            kept: sitekit.story_text("新修的村路", date="2021-03-13"),
        },
        files={f"{FOLDER}/cover.jpg": mediakit.small_jpeg(color=(200, 40, 40))},
    )
    dest = tmp_path / "www"
    first = script_deploy(project, dest)
    assert first.returncode == 0, first.stdout + first.stderr
    [before] = (dest / "releases").iterdir()
    facts = releasekit.read_facts(before)
    media = facts["stories"][f"stories/{FOLDER}/"]["media"]
    [key] = facts["stories"][f"stories/{FOLDER}/"]["cache"]
    index = index_of(project)
    original = index.read_text("utf-8")

    completed = takedown(
        project, dest, "--story", f"docs/stories/{FOLDER}", "--reason", "应当事人要求撤下"
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    today = today_in_china()
    closing = original.index("\n---\n", 3) + 1
    block = f'withdrawn:\n  date: {today}\n  reason: "应当事人要求撤下"\n'
    assert index.read_text("utf-8") == original[:closing] + block + original[closing:]
    out = completed.stdout
    assert f"已撤下：/stories/{FOLDER}/（{today}）" in out
    assert f"从旧版本 {before.name} 删除了撤下的稿件 /stories/{FOLDER}/" in out
    assert f"删除媒体文件 {len(media)} 个、搜索记录 1 个" in out
    other_pages = re.search(rf"  {before.name} 里提到它的其他网页.*：换成新版本的 (\d+) 个", out)
    assert other_pages and int(other_pages[1]) >= 4, out
    assert "媒体缓存里删除了撤下稿件用过的 1 组派生文件" in out
    assert (
        f"请提交这个改动，免得下次发布又把它放回去：git add docs/stories/{FOLDER}/index.md" in out
    )
    assert not (project / ".cache" / "media" / "entries" / f"{key}.json").exists()

    live = dest / "current"
    for release in (live, before):
        page = (release / "stories" / FOLDER / "index.html").read_text("utf-8")
        assert GONE_TITLE not in page
        assert (release / "stories" / FOLDER / ".withdrawn").is_file()
        assert [path for path in media if (release / path).exists()] == []
        records = [path.read_text("utf-8") for path in release.glob("search-index/*/d*.json")]
        assert [text for text in records if f"stories/{FOLDER}/" in text] == []
    for release in (live, before):
        for listing in ("index.html", "stories/index.html", "stories/feed.xml", "sitemap.xml"):
            text = (release / listing).read_text("utf-8")
            assert FOLDER not in text and GONE_TITLE not in text, listing
    assert f"/stories/{kept}/" in searchkit.indexed_pages(live)
    assert f"/stories/{FOLDER}/" not in searchkit.indexed_pages(live)

    with releasekit.serving(dest, tmp_path) as nginx:
        assert get(nginx.url(f"/stories/{FOLDER}/")).status == 410
        rollback(Destination(dest))
        answer = get(nginx.url(f"/stories/{FOLDER}/"))
        assert answer.status == 410 and GONE_TITLE not in answer.text()
        assert [path for path in media if get(nginx.url(f"/{path}")).status != 404] == []


@pytest.mark.parametrize(
    ("story", "reason", "said"),
    [
        ("docs/stories/2021-01-01-no-such", "应当事人要求", "里没有 index.md"),
        ("REPO", "", "请写上撤下的原因"),
        # Counted as written: neither the shell nor make read `$HOME` or `$$`.
        ("REPO", '第一行 $HOME $$ "引号" `命令`' + "长" * 80, "撤下的原因有 102 个字"),
    ],
)
def test_make_takedown_passes_story_and_reason_as_written(
    tmp_path: Path, story: str, reason: str, said: str
) -> None:
    """STORY and REASON reach the script untouched by the shell; refused before anything."""
    if story == "REPO":
        story = f"docs/stories/{sorted(sitekit.repo_stories())[0]}"
    completed = subprocess.run(
        [
            *("make", "--no-print-directory", "-o", ".venv/.installed-from-lock", "takedown"),
            *(f"STORY={story}", f"REASON={reason}", f"DEST={tmp_path / 'www'}"),
        ],
        cwd=sitekit.REPO_ROOT,
        env=sitekit.mkdocs_env(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )

    assert completed.returncode != 0
    assert said in completed.stderr
    assert not (tmp_path / "www").exists()
    assert (
        subprocess.run(
            ["git", "status", "--porcelain", "docs/stories"],
            cwd=sitekit.REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        == ""
    )
