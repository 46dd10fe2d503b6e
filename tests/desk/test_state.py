"""The 投稿台's state on disk: tokens stored hashed, who may see and change a submission, saves
that never corrupt it, the append-only log, and accepting a story into docs/stories with a
git commit in the contributor's name."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import time
from pathlib import Path

import pytest
from huatuopin.problems import Problem

from desk import log as desklog
from desk import state as deskstate
from desk.state import DeskError, DeskState, Person, Submission

STORY = """---
title: 从土坯房到小楼房
date: 2021-03-12
activity: 回村看
city: 开封市
county: 兰考县
village: 张庄村
form: 文章
authors:
  - name: 王小红
    role: 媒体记者
    org: 开封日报
summary: 驻村工作队陪老党员算了一笔收入账。
---
三月的东坝头，黄河故道边的风还带着凉意。
"""
# Named as new-story names a folder: the date, then slug_for(village).
PUBLISHED_FOLDER = "2021-03-12-zhangzhuangcun"


def no_problems(project_root: Path, story_folder: Path) -> list[Problem]:
    return []


@pytest.fixture
def desk(tmp_path: Path) -> DeskState:
    project = tmp_path / "project"
    project.mkdir()
    return DeskState(tmp_path / "desk", project)


@pytest.fixture
def reporter(desk: DeskState) -> Person:
    return desk.invite("王小红", "开封日报", "媒体记者")[0]


@pytest.fixture
def editor(desk: DeskState) -> Person:
    return desk.invite("李编辑", "省委宣传部", "编辑", editor=True)[0]


def write_story(desk: DeskState, submission: Submission, owner: Person, text: str = STORY) -> None:
    with desk.editing(submission, owner) as folder:
        (folder / "index.md").write_text(text, encoding="utf-8")
        (folder / "house.jpg").write_bytes(b"\xff\xd8\xff\xe0photo\xff\xd9")


def submitted(desk: DeskState, owner: Person) -> Submission:
    submission = desk.create(owner)
    write_story(desk, submission, owner)
    return desk.set_state(submission, owner, "待审核")


# -- people and tokens -----------------------------------------------------------------------


def test_the_raw_token_is_stored_nowhere_under_the_desk_folder(desk: DeskState) -> None:
    person, token = desk.invite("王小红", "开封日报", "媒体记者")
    desk.create(person)

    stored = b"".join(p.read_bytes() for p in desk.root.rglob("*") if p.is_file())
    assert token.encode() not in stored
    assert len(token) >= 43  # secrets.token_urlsafe(32)
    assert desk.person_for_token(token) == person


def test_an_unknown_token_opens_nothing(desk: DeskState, reporter: Person) -> None:
    assert desk.person_for_token("") is None
    assert desk.person_for_token("not-a-token") is None


def test_a_revoked_link_is_refused_at_once(desk: DeskState) -> None:
    person, token = desk.invite("王小红", "开封日报", "媒体记者")

    revoked = desk.revoke(person.id)

    assert revoked.revoked
    assert desk.person_for_token(token) is None
    # The Person a running request already holds stops working too.
    with pytest.raises(DeskError, match="链接已经停用"):
        desk.create(person)


def test_revoking_by_a_name_two_people_share_is_refused(desk: DeskState) -> None:
    first, first_token = desk.invite("王小红", "开封日报", "媒体记者")
    second, second_token = desk.invite("王小红", "河南日报", "媒体记者")

    with pytest.raises(DeskError) as refusal:
        desk.revoke("王小红")

    assert first.id in str(refusal.value) and second.id in str(refusal.value)
    assert desk.person_for_token(first_token) == first
    assert desk.person_for_token(second_token) == second


def test_a_name_means_the_person_whose_link_still_works(desk: DeskState) -> None:
    lost, _ = desk.invite("王小红", "开封日报", "媒体记者")
    desk.revoke(lost.id)
    again, token = desk.invite("王小红", "开封日报", "媒体记者")

    assert desk.revoke("王小红").id == again.id
    assert desk.person_for_token(token) is None


def test_a_role_outside_the_story_contract_is_refused(desk: DeskState) -> None:
    with pytest.raises(DeskError, match="媒体记者、文艺工作者"):
        desk.invite("王小红", "开封日报", "记者")
    assert desk.people() == []


# -- who sees what ---------------------------------------------------------------------------


def test_a_contributor_cannot_get_anothers_submission_but_an_editor_can(
    desk: DeskState, reporter: Person, editor: Person
) -> None:
    other = desk.invite("张三", "", "文艺工作者")[0]
    submission = desk.create(reporter)

    assert desk.get(submission.id, reporter) == submission
    assert desk.get(submission.id, other) is None
    assert desk.get(submission.id, editor) == submission
    assert desk.submissions_of(other) == []
    with pytest.raises(DeskError):
        write_story(desk, submission, other)


@pytest.mark.parametrize("wanted", ["../people", "s-../../x", "", "people.json", "s-0000000000"])
def test_an_id_from_a_url_never_reaches_outside_the_inbox(
    desk: DeskState, editor: Person, wanted: str
) -> None:
    assert desk.get(wanted, editor) is None


def test_a_contributors_list_is_newest_first(desk: DeskState, reporter: Person) -> None:
    first = desk.create(reporter)
    second = desk.create(reporter)

    assert [s.id for s in desk.submissions_of(reporter)] == [second.id, first.id]


# -- state transitions -----------------------------------------------------------------------


def test_submit_return_and_submit_again(desk: DeskState, reporter: Person, editor: Person) -> None:
    submission = submitted(desk, reporter)
    assert submission.state == "待审核"

    returned = desk.set_state(submission, editor, "退回修改", "标题里写上村名")
    assert (returned.state, returned.note) == ("退回修改", "标题里写上村名")
    assert desk.get(submission.id, reporter).note == "标题里写上村名"

    write_story(desk, returned, reporter)
    again = desk.set_state(returned, reporter, "待审核")
    assert (again.state, again.note) == ("待审核", "")


@pytest.mark.parametrize(
    ("start", "who", "to", "note", "because"),
    [
        ("草稿", "editor", "待审核", "", "只有作者本人可以提交"),
        ("草稿", "reporter", "退回修改", "改一下", "不能改为"),
        ("草稿", "reporter", "已采用", "", "采用稿件请用"),
        ("待审核", "reporter", "退回修改", "改一下", "只有编辑可以退回"),
        ("待审核", "editor", "退回修改", "  ", "请写上要作者修改什么"),
        ("待审核", "reporter", "草稿", "", "不能改为"),
        ("待审核", "editor", "发布", "", "不是稿件状态"),
    ],
)
def test_refused_transitions_say_why_and_change_nothing(
    desk: DeskState,
    reporter: Person,
    editor: Person,
    start: str,
    who: str,
    to: str,
    note: str,
    because: str,
) -> None:
    submission = desk.create(reporter)
    if start == "待审核":
        submission = desk.set_state(submission, reporter, "待审核")
    actor = editor if who == "editor" else reporter

    with pytest.raises(DeskError, match=because):
        desk.set_state(submission, actor, to, note)

    assert desk.get(submission.id, editor).state == start


def test_a_submitted_story_is_not_edited_by_its_author_until_returned(
    desk: DeskState, reporter: Person, editor: Person
) -> None:
    submission = submitted(desk, reporter)

    with pytest.raises(DeskError, match="已提交审核"):
        write_story(desk, submission, reporter)
    write_story(desk, submission, editor)  # an editor may fix a typo before accepting


# -- writes that never corrupt ---------------------------------------------------------------


def _save_many(desk_root: str, project_root: str, submission_id: str, worker: int) -> None:
    desk = DeskState(Path(desk_root), Path(project_root))
    owner = next(p for p in desk.people() if not p.editor)
    for round_ in range(5):
        submission = desk.get(submission_id, owner)
        assert submission is not None
        with desk.editing(submission, owner) as folder:
            counter = folder / "saves.txt"
            seen = int(counter.read_text()) if counter.exists() else 0
            # Widen the window between read and write: without the lock, saves are lost.
            time.sleep(0.01)
            (folder / "index.md").write_text(f"worker {worker} round {round_}\n" * 200)
            counter.write_text(str(seen + 1))


def test_saves_from_several_processes_at_once_never_interleave(
    desk: DeskState, reporter: Person
) -> None:
    submission = desk.create(reporter)
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(
            target=_save_many,
            args=(str(desk.root), str(desk.project_root), submission.id, worker),
        )
        for worker in range(4)
    ]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=60)
    assert [process.exitcode for process in workers] == [0, 0, 0, 0]

    record = json.loads((desk.inbox / submission.id / "submission.json").read_text("utf-8"))
    assert record["state"] == "草稿"
    assert (submission.folder / "saves.txt").read_text() == "20"
    lines = (submission.folder / "index.md").read_text().splitlines()
    assert len(lines) == 200 and len(set(lines)) == 1
    saves = [r for r in desklog.read(desk.log_file) if r["action"] == "保存"]
    assert len(saves) == 20
    assert not list(desk.root.rglob("*.tmp"))


def test_a_write_cut_off_midway_leaves_the_previous_file(
    desk: DeskState, reporter: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    submission = desk.create(reporter)
    path = desk.inbox / submission.id / "submission.json"
    before = path.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    # fsync runs after the new text is written to the temporary file, before it replaces
    # the real one: the moment a crash or a full disk would strike.
    monkeypatch.setattr(deskstate.os, "fsync", disk_full)
    with pytest.raises(OSError):
        desk.set_state(submission, reporter, "待审核")
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert desk.get(submission.id, reporter).state == "草稿"
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_save_marks_the_time_and_who_saved(desk: DeskState, reporter: Person) -> None:
    submission = desk.create(reporter)

    write_story(desk, submission, reporter)

    saved = desk.get(submission.id, reporter)
    assert saved.updated > submission.updated and saved.created == submission.created
    assert (saved.folder / "index.md").read_text("utf-8") == STORY
    last = desklog.read(desk.log_file)[-1]
    assert (last["action"], last["who"], last["submission"]) == ("保存", reporter.id, saved.id)


def test_a_save_that_fails_leaves_the_submission_as_it_was(
    desk: DeskState, reporter: Person
) -> None:
    submission = desk.create(reporter)

    with pytest.raises(RuntimeError), desk.editing(submission, reporter):
        raise RuntimeError("upload cut off")

    assert desk.get(submission.id, reporter).updated == submission.updated
    assert all(r["action"] != "保存" for r in desklog.read(desk.log_file))
    write_story(desk, submission, reporter)  # the lock was released


def test_the_log_only_grows(desk: DeskState, reporter: Person, editor: Person) -> None:
    submission = desk.create(reporter)
    earlier = desk.log_file.read_bytes()
    submission = desk.set_state(submission, reporter, "待审核")
    desk.set_state(submission, editor, "退回修改", "补一张照片")
    later = desk.log_file.read_bytes()

    assert later.startswith(earlier)
    records = desklog.read(desk.log_file)
    assert [r["action"] for r in records] == ["邀请", "邀请编辑", "新建", "提交审核", "退回修改"]
    last = records[-1]
    assert (last["who"], last["name"], last["submission"], last["detail"]) == (
        editor.id,
        "李编辑",
        submission.id,
        "补一张照片",
    )
    assert last["time"].endswith("+00:00")


# -- accept ----------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def repo(desk: DeskState) -> Path:
    """The project as a git checkout with one commit, a maintainer's change staged."""
    root = desk.project_root
    (root / "mkdocs.yml").write_text("site_name: 测试\n", encoding="utf-8")
    (root / "docs" / "stories").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# 首页\n", encoding="utf-8")
    git(root, "init", "--quiet")
    git(root, "config", "user.name", "维护者")
    git(root, "config", "user.email", "maintainer@example.org")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "start")
    (root / "docs" / "index.md").write_text("# 首页（改了一半）\n", encoding="utf-8")
    git(root, "add", "docs/index.md")
    return root


def test_accept_moves_the_story_and_commits_it_in_the_contributors_name(
    desk: DeskState, reporter: Person, editor: Person, repo: Path
) -> None:
    submission = submitted(desk, reporter)

    accepted = desk.accept(submission, editor, check=no_problems)

    published = repo / "docs" / "stories" / PUBLISHED_FOLDER
    assert (published / "index.md").read_text("utf-8") == STORY
    assert (published / "house.jpg").exists()
    assert not submission.folder.exists()
    assert (accepted.state, accepted.published) == ("已采用", f"docs/stories/{PUBLISHED_FOLDER}")
    assert desk.get(submission.id, reporter).published == accepted.published

    author, message = git(repo, "log", "-1", "--format=%an <%ae>%n%s").splitlines()
    assert author == f"王小红 <{reporter.id}@desk.invalid>"
    assert message == "投稿台：采用《从土坯房到小楼房》（开封日报 王小红）"
    committed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert committed == [
        f"docs/stories/{PUBLISHED_FOLDER}/house.jpg",
        f"docs/stories/{PUBLISHED_FOLDER}/index.md",
    ]
    # The maintainer's staged change is neither committed nor unstaged.
    assert git(repo, "diff", "--cached", "--name-only").split() == ["docs/index.md"]
    assert desklog.read(desk.log_file)[-1]["action"] == "采用"


def test_a_folder_name_already_taken_gets_a_number(
    desk: DeskState, reporter: Person, editor: Person, repo: Path
) -> None:
    first = desk.accept(submitted(desk, reporter), editor, check=no_problems)
    second = desk.accept(submitted(desk, reporter), editor, check=no_problems)

    assert first.published == f"docs/stories/{PUBLISHED_FOLDER}"
    assert second.published == f"docs/stories/{PUBLISHED_FOLDER}-2"
    assert git(repo, "status", "--porcelain", "--", "docs/stories") == ""
    assert [p.name for p in (repo / "docs" / "stories").iterdir()] != []
    assert not [p for p in (repo / "docs" / "stories").iterdir() if p.name.startswith(".")]


def test_a_story_with_problems_is_not_accepted(
    desk: DeskState, reporter: Person, editor: Person, repo: Path
) -> None:
    submission = submitted(desk, reporter)

    def problems(project_root: Path, story_folder: Path) -> list[Problem]:
        assert story_folder == submission.folder
        return [Problem("index.md", 4, "activity", "“回乡看”不是活动类型")]

    with pytest.raises(DeskError, match=r"1 个问题.*activity: “回乡看”不是活动类型"):
        desk.accept(submission, editor, check=problems)

    assert desk.get(submission.id, editor).state == "待审核"
    assert (submission.folder / "index.md").exists()
    assert list((repo / "docs" / "stories").iterdir()) == []


def test_accept_outside_a_git_checkout_is_refused(
    desk: DeskState, reporter: Person, editor: Person
) -> None:
    (desk.project_root / "mkdocs.yml").write_text("site_name: 测试\n", encoding="utf-8")
    submission = submitted(desk, reporter)

    with pytest.raises(DeskError, match="不是 git 仓库"):
        desk.accept(submission, editor, check=no_problems)

    assert desk.get(submission.id, editor).state == "待审核"
    assert not (desk.project_root / "docs").exists()


def test_only_an_editor_accepts_and_only_what_waits_for_review(
    desk: DeskState, reporter: Person, editor: Person, repo: Path
) -> None:
    draft = desk.create(reporter)
    write_story(desk, draft, reporter)

    with pytest.raises(DeskError, match="只有待审核的稿件"):
        desk.accept(draft, editor, check=no_problems)
    waiting = desk.set_state(draft, reporter, "待审核")
    with pytest.raises(DeskError, match="只有编辑"):
        desk.accept(waiting, reporter, check=no_problems)
    assert os.listdir(repo / "docs" / "stories") == []
