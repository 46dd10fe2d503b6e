"""`scripts/desk`, as a maintainer runs it: the personal link as the last line with its QR code
before it, revoking by name, and Chinese refusals without a traceback."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
import runkit
import segno
from sitekit import REPO_ROOT, mkdocs_env

from desk.state import DESK_ENV, DeskState

LINK = re.compile(r"(?P<base>.+)/d/(?P<token>[A-Za-z0-9_-]{43})/")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: 测试\n", encoding="utf-8")
    return root


def desk(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = mkdocs_env() | {DESK_ENV: str(project / "desk-state")}
    config = str(project / "mkdocs.yml")
    return runkit.run(
        runkit.script(REPO_ROOT / "scripts" / "desk", "--config", config, *args),
        cwd=project,
        env=env,
        timeout=60,
    )


def state(project: Path) -> DeskState:
    return DeskState(project / "desk-state", project)


def qr_block(link: str) -> str:
    out = io.StringIO()
    segno.make(link, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def test_invite_prints_the_link_last_and_its_qr_code_before_it(project: Path) -> None:
    done = desk(project, "invite", "--name", "王小红", "--org", "开封日报", "--role", "媒体记者")

    assert done.returncode == 0, done.stderr
    last = done.stdout.rstrip("\n").splitlines()[-1]
    link = LINK.fullmatch(last)
    assert link is not None and link["base"] == "http://127.0.0.1:8010"
    assert qr_block(last) + last in done.stdout
    assert "王小红" in done.stdout and "开封日报" in done.stdout
    person = state(project).person_for_token(link["token"])
    assert person is not None
    assert (person.name, person.org, person.role, person.editor) == (
        "王小红",
        "开封日报",
        "媒体记者",
        False,
    )


def test_editor_link_opens_as_an_editor(project: Path) -> None:
    done = desk(project, "editor", "--name", "李编辑", "--base-url", "https://tougao.example.cn/")

    last = done.stdout.rstrip("\n").splitlines()[-1]
    link = LINK.fullmatch(last)
    assert link is not None and link["base"] == "https://tougao.example.cn"
    person = state(project).person_for_token(link["token"])
    assert person is not None and person.editor


def test_the_base_url_can_come_from_mkdocs_yml(project: Path) -> None:
    (project / "mkdocs.yml").write_text(
        "site_name: 测试\nextra:\n  desk:\n    base_url: https://tougao.example.cn\n",
        encoding="utf-8",
    )

    done = desk(project, "invite", "--name", "王小红", "--role", "文艺工作者")

    assert done.stdout.rstrip("\n").splitlines()[-1].startswith("https://tougao.example.cn/d/")


def test_revoke_by_an_ambiguous_name_is_refused_listing_the_candidates(project: Path) -> None:
    desk(project, "invite", "--name", "王小红", "--org", "开封日报", "--role", "媒体记者")
    desk(project, "invite", "--name", "王小红", "--org", "河南日报", "--role", "媒体记者")
    first, second = state(project).people()

    refused = desk(project, "revoke", "王小红")

    assert refused.returncode == 1
    assert first.id in refused.stderr and second.id in refused.stderr
    assert "开封日报" in refused.stderr and "河南日报" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not any(person.revoked for person in state(project).people())

    done = desk(project, "revoke", second.id)
    assert done.returncode == 0
    assert [p.revoked for p in state(project).people()] == [False, True]
    listed = desk(project, "people").stdout
    assert f"{first.id}  王小红  开封日报 媒体记者  可用" in listed
    assert f"{second.id}  王小红  河南日报 媒体记者  已停用" in listed


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("invite", "--name", "王小红", "--role", "记者"), "不在稿件的作者身份里"),
        (("revoke", "张三"), "没有找到“张三”"),
        (("serve", "--port", "八零"), "不是端口号"),
    ],
)
def test_mistakes_are_told_in_chinese_without_a_traceback(
    project: Path, args: tuple[str, ...], says: str
) -> None:
    done = desk(project, *args)

    assert done.returncode == 1
    assert says in done.stderr
    assert "Traceback" not in done.stderr
