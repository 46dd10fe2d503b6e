"""The desk's state on disk: invited people, their submissions, and the log.

The desk folder (default `<project>/.desk/`, `HUATUOPIN_DESK_DIR` overrides) holds

    people.json                  invited people; only the sha256 of each token
    inbox/<id>/submission.json   state, owner, times, the editor's note, where it was published
    inbox/<id>/story/            index.md and media, exactly as they go into docs/stories/
    inbox/<id>/.lock             taken (fcntl.flock) by every change to that submission
    log.jsonl                    one line per action, append-only (desk/log.py)

Every JSON file is written whole to a temporary file and moved into place with os.replace,
so a crash or a full disk leaves the previous version, never half a file; a restart of the
desk loses nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huatuopin.newstory import slug_for
from huatuopin.problems import Problem
from huatuopin.project import load_project
from huatuopin.sourcefile import SourceError, read_markdown
from huatuopin.vocab import AUTHOR_ROLES

from . import log as desklog

DESK_ENV = "HUATUOPIN_DESK_DIR"
STATES = ("草稿", "待审核", "退回修改", "已采用")
DRAFT, WAITING, RETURNED, ACCEPTED = STATES

# Ids go into URLs and folder names: only these shapes are ever looked up on disk, so an id
# taken from a URL can never reach outside the inbox.
_SUBMISSION_ID = re.compile(r"s-[0-9a-f]{10}")
_UNSAFE_TEXT = re.compile(r"[<>\x00-\x1f\x7f]")
# Problems quoted in a refusal to accept; the editor sees the whole list on the desk's page.
_PROBLEMS_QUOTED = 5

Check = Callable[[Path, Path], list[Problem]]


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    org: str
    role: str
    editor: bool
    revoked: bool


@dataclass(frozen=True)
class Submission:
    id: str
    owner: str
    state: str
    folder: Path
    created: dt.datetime
    updated: dt.datetime
    note: str
    published: str


class DeskError(Exception):
    """A refusal the desk shows as it is: one Chinese sentence saying what to do instead."""


class DeskState:
    def __init__(self, root: Path, project_root: Path) -> None:
        self.root = root
        self.project_root = project_root
        self.inbox = root / "inbox"
        self.people_file = root / "people.json"
        self.log_file = root / "log.jsonl"
        # Unpublished stories and token hashes: nobody else on the server needs to read them.
        self.inbox.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(root, 0o700)

    @classmethod
    def for_project(cls, project_root: Path) -> DeskState:
        configured = os.environ.get(DESK_ENV)
        root = Path(configured).resolve() if configured else project_root / ".desk"
        return cls(root, project_root)

    # People and tokens -------------------------------------------------------------------

    def invite(self, name: str, org: str, role: str, *, editor: bool = False) -> tuple[Person, str]:
        """A new person and their token; the token is returned once and stored only hashed."""
        name, org, role = name.strip(), org.strip(), role.strip()
        if not name:
            raise DeskError("请写上被邀请人的姓名")
        for label, value in (("姓名", name), ("单位", org), ("身份", role)):
            # Names go into the git author line, where <, > and line breaks would break it.
            if _UNSAFE_TEXT.search(value):
                raise DeskError(f"{label}“{value}”里有换行或 < > 符号；请只写文字")
        if not editor and role not in AUTHOR_ROLES:
            raise DeskError(f"身份“{role}”不在稿件的作者身份里；可选：{'、'.join(AUTHOR_ROLES)}")
        token = secrets.token_urlsafe(32)
        with _locked(self.root / ".people.lock"):
            records = self._people_records()
            taken = {record["id"] for record in records}
            person_id = _new_id("p-", 3, taken)
            person = Person(person_id, name, org, role, editor, revoked=False)
            records.append({**dataclasses.asdict(person), "token_sha256": _digest(token)})
            self._write_people(records)
        self.log(None, "邀请编辑" if editor else "邀请", detail=f"{person.id} {person.name}")
        return person, token

    def person_for_token(self, token: str) -> Person | None:
        digest = _digest(token)
        found = None
        # Every stored hash is compared, in constant time, so timing says nothing about which
        # (or whether any) hash shares a prefix with the guess.
        for record in self._people_records():
            if hmac.compare_digest(record.get("token_sha256", ""), digest):
                found = record
        if found is None or found.get("revoked"):
            return None
        return _person(found)

    def revoke(self, person_id_or_name: str) -> Person:
        wanted = person_id_or_name.strip()
        with _locked(self.root / ".people.lock"):
            records = self._people_records()
            matches = [r for r in records if r["id"] == wanted]
            if not matches:
                by_name = [r for r in records if r["name"] == wanted]
                # A person invited again after losing their link keeps the old, revoked entry:
                # the name still means the one whose link works.
                matches = [r for r in by_name if not r.get("revoked")] or by_name
            if not matches:
                raise DeskError(f"没有找到“{wanted}”；请写上 scripts/desk people 列出的编号或姓名")
            if len(matches) > 1:
                candidates = "、".join(f"{r['id']}（{_describe(r)}）" for r in matches)
                raise DeskError(
                    f"叫“{wanted}”的有 {len(matches)} 位：{candidates}；请写上要停用的那位的编号"
                )
            matches[0]["revoked"] = True
            self._write_people(records)
        person = _person(matches[0])
        self.log(None, "停用链接", detail=f"{person.id} {person.name}")
        return person

    def people(self) -> list[Person]:
        return [_person(record) for record in self._people_records()]

    def _people_records(self) -> list[dict[str, Any]]:
        if not self.people_file.exists():
            return []
        data = json.loads(self.people_file.read_text(encoding="utf-8"))
        return list(data["people"])

    def _write_people(self, records: list[dict[str, Any]]) -> None:
        _write_json(self.people_file, {"people": records})

    def _current(self, actor: Person) -> Person:
        """`actor` as people.json has them now: a link revoked mid-session stops working."""
        for record in self._people_records():
            if record["id"] == actor.id and not record.get("revoked"):
                return _person(record)
        raise DeskError("这个链接已经停用；请向编辑要一个新链接")

    # Submissions -------------------------------------------------------------------------

    def create(self, owner: Person) -> Submission:
        owner = self._current(owner)
        taken = {path.name for path in self.inbox.iterdir()}
        submission_id = _new_id("s-", 5, taken)
        home = self.inbox / submission_id
        (home / "story").mkdir(parents=True)
        now = desklog.now()
        submission = Submission(
            id=submission_id,
            owner=owner.id,
            state=DRAFT,
            folder=home / "story",
            created=now,
            updated=now,
            note="",
            published="",
        )
        self._write_submission(submission)
        self.log(owner, "新建", submission_id)
        return submission

    def submissions_of(self, owner: Person) -> list[Submission]:
        return [s for s in self.all_submissions() if s.owner == owner.id]

    def all_submissions(self) -> list[Submission]:
        """Every submission, newest first."""
        found = []
        for home in self.inbox.iterdir():
            submission = self._load(home.name)
            if submission is not None:
                found.append(submission)
        return sorted(found, key=lambda s: (s.created, s.id), reverse=True)

    def get(self, submission_id: str, viewer: Person) -> Submission | None:
        submission = self._load(submission_id)
        if submission is None or not (viewer.editor or submission.owner == viewer.id):
            return None
        return submission

    @contextlib.contextmanager
    def editing(self, submission: Submission, actor: Person) -> Iterator[Path]:
        """Hold the submission's lock while the caller writes into its story folder."""
        actor = self._current(actor)
        with _locked(self._home(submission.id) / ".lock"):
            current = self._reload(submission)
            if current.state == ACCEPTED:
                raise DeskError("这篇稿件已经采用发布，不能再修改")
            if actor.id == current.owner:
                if current.state == WAITING:
                    raise DeskError("这篇稿件已提交审核；要修改，请等编辑退回")
            elif not actor.editor:
                raise DeskError("只有作者本人和编辑可以修改这篇稿件")
            yield current.folder
            self._write_submission(dataclasses.replace(current, updated=desklog.now()))
        self.log(actor, "保存", submission.id)

    def set_state(
        self, submission: Submission, actor: Person, state: str, note: str = ""
    ) -> Submission:
        actor = self._current(actor)
        note = note.strip()
        with _locked(self._home(submission.id) / ".lock"):
            current = self._reload(submission)
            move = (current.state, state)
            if move in ((DRAFT, WAITING), (RETURNED, WAITING)):
                if actor.id != current.owner:
                    raise DeskError("只有作者本人可以提交这篇稿件")
                note = ""
                action = "提交审核"
            elif move == (WAITING, RETURNED):
                if not actor.editor:
                    raise DeskError("只有编辑可以退回稿件")
                if not note:
                    raise DeskError("退回时请写上要作者修改什么")
                action = "退回修改"
            elif state == ACCEPTED:
                raise DeskError("采用稿件请用“采用”，它会把稿件放进网站并提交到 git")
            elif state not in STATES:
                raise DeskError(f"“{state}”不是稿件状态；可选：{'、'.join(STATES)}")
            else:
                raise DeskError(f"稿件现在是“{current.state}”，不能改为“{state}”")
            changed = dataclasses.replace(current, state=state, note=note, updated=desklog.now())
            self._write_submission(changed)
        self.log(actor, action, submission.id, note)
        return changed

    def accept(
        self, submission: Submission, editor: Person, *, check: Check | None = None
    ) -> Submission:
        """Publish the story: move it into docs/stories/<date>-<slug>/ and commit that folder.

        `check` is desk.checks.check_submission unless a caller (a test) passes its own.
        """
        editor = self._current(editor)
        if not editor.editor:
            raise DeskError("只有编辑可以采用稿件")
        with _locked(self._home(submission.id) / ".lock"):
            current = self._reload(submission)
            if current.state != WAITING:
                raise DeskError(f"稿件现在是“{current.state}”，只有待审核的稿件可以采用")
            repo = _git_toplevel(self.project_root)
            if check is None:
                from .checks import check_submission as check
            problems = check(self.project_root, current.folder)
            if problems:
                raise DeskError(_refusal(problems))
            stories_dir = load_project(self.project_root / "mkdocs.yml").stories_dir
            title, stem = _title_and_stem(current.folder)
            target = _move_into(current.folder, stories_dir, stem)
            try:
                _commit(repo, target, self._owner_of(current), title)
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)
                raise
            published = target.relative_to(self.project_root.resolve()).as_posix()
            accepted = dataclasses.replace(
                current, state=ACCEPTED, note="", published=published, updated=desklog.now()
            )
            self._write_submission(accepted)
            # Only now, with the story committed and the state saved, is the inbox copy spare.
            shutil.rmtree(current.folder, ignore_errors=True)
        self.log(editor, "采用", submission.id, published)
        return accepted

    def log(
        self, actor: Person | None, action: str, submission_id: str = "", detail: str = ""
    ) -> None:
        desklog.append(
            self.log_file,
            {
                "time": desklog.now().isoformat(),
                "who": actor.id if actor else "维护者",
                "name": actor.name if actor else "",
                "action": action,
                "submission": submission_id,
                "detail": detail,
            },
        )

    def _home(self, submission_id: str) -> Path:
        return self.inbox / submission_id

    def _load(self, submission_id: str) -> Submission | None:
        if not _SUBMISSION_ID.fullmatch(submission_id):
            return None
        path = self._home(submission_id) / "submission.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return Submission(
            id=submission_id,
            owner=data["owner"],
            state=data["state"],
            folder=self._home(submission_id) / "story",
            created=dt.datetime.fromisoformat(data["created"]),
            updated=dt.datetime.fromisoformat(data["updated"]),
            note=data["note"],
            published=data["published"],
        )

    def _reload(self, submission: Submission) -> Submission:
        current = self._load(submission.id)
        if current is None:
            raise DeskError("找不到这篇稿件")
        return current

    def _write_submission(self, submission: Submission) -> None:
        _write_json(
            self._home(submission.id) / "submission.json",
            {
                "id": submission.id,
                "owner": submission.owner,
                "state": submission.state,
                "created": submission.created.isoformat(),
                "updated": submission.updated.isoformat(),
                "note": submission.note,
                "published": submission.published,
            },
        )

    def _owner_of(self, submission: Submission) -> Person:
        for person in self.people():
            if person.id == submission.owner:
                return person
        raise DeskError(f"找不到稿件的作者 {submission.owner}")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_id(prefix: str, random_bytes: int, taken: set[str]) -> str:
    while True:
        candidate = prefix + secrets.token_hex(random_bytes)
        if candidate not in taken:
            return candidate


def _person(record: dict[str, Any]) -> Person:
    return Person(
        id=record["id"],
        name=record["name"],
        org=record["org"],
        role=record["role"],
        editor=bool(record["editor"]),
        revoked=bool(record.get("revoked")),
    )


def _describe(record: dict[str, Any]) -> str:
    parts = [record["org"], record["role"], "编辑" if record["editor"] else ""]
    if record.get("revoked"):
        parts.append("已停用")
    return " ".join(part for part in parts if part) or "未写单位"


@contextlib.contextmanager
def _locked(lock_file: Path) -> Iterator[None]:
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Replace `path` whole: readers see the old file or the new one, never a mix."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _refusal(problems: list[Problem]) -> str:
    quoted = "；".join(f"{p.field}: {p.message}" for p in sorted(problems)[:_PROBLEMS_QUOTED])
    more = "等" if len(problems) > _PROBLEMS_QUOTED else ""
    return f"这篇稿件还有 {len(problems)} 个问题，改好后才能采用：{quoted}{more}"


def _title_and_stem(folder: Path) -> tuple[str, str]:
    """The story's title and its folder name, `<date>-<village slug>` as new-story makes it."""
    try:
        source = read_markdown(folder / "index.md", "index.md")
    except SourceError as error:
        raise DeskError(f"稿件读不出来：{error.problems[0].message}") from None
    except FileNotFoundError:
        raise DeskError("稿件还没有内容（缺少 index.md）") from None
    fields = source.front_matter.value
    date, village = fields.get("date"), fields.get("village")
    if not isinstance(date, dt.date) or not isinstance(village, str) or not village.strip():
        raise DeskError("稿件缺少日期或村名，不能定下它的网址")
    return str(fields.get("title", "")).strip(), f"{date.isoformat()}-{slug_for(village)}"


def _move_into(folder: Path, stories_dir: Path, stem: str) -> Path:
    """Copy `folder` into stories_dir under a free name (stem, stem-2, …) and return it.

    The inbox may be on another filesystem, so the story is copied to a hidden folder beside
    its destination (the build passes over hidden folders) and renamed once complete: the
    build never sees half a story.
    """
    stories_dir.mkdir(parents=True, exist_ok=True)
    staging = stories_dir / f".desk-accept-{secrets.token_hex(6)}"
    shutil.copytree(folder, staging, symlinks=True)
    try:
        number = 1
        while True:
            target = stories_dir / (stem if number == 1 else f"{stem}-{number}")
            number += 1
            # mkdir claims the name atomically (another accept or new-story may race for it);
            # renaming a folder onto an empty folder then replaces it in one step.
            try:
                target.mkdir()
            except FileExistsError:
                continue
            try:
                staging.rename(target)
            except BaseException:
                target.rmdir()
                raise
            return target
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _git_toplevel(project_root: Path) -> Path:
    try:
        found = subprocess.run(
            ["git", "-C", str(project_root), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise DeskError("这台机器上没有 git，不能采用稿件；请先安装 git") from None
    if found.returncode != 0:
        raise DeskError(
            f"{project_root} 不是 git 仓库，采用的稿件无法提交；请在网站的 git 仓库里运行投稿台"
        )
    return Path(found.stdout.strip())


def _commit(repo: Path, folder: Path, author: Person, title: str) -> None:
    """Commit exactly `folder`; whatever else is staged in the checkout stays staged."""
    path = folder.resolve().relative_to(repo.resolve()).as_posix()
    org = f"{author.org} " if author.org else ""
    message = f"投稿台：采用《{title}》（{org}{author.name}）"
    env = dict(os.environ)
    if _git(repo, "config", "user.email").returncode != 0:
        # A server checkout often has no identity of its own; the desk then commits as itself.
        env |= {"GIT_COMMITTER_NAME": "投稿台", "GIT_COMMITTER_EMAIL": "desk@desk.invalid"}
    for args in (
        ["add", "--", path],
        [
            "commit",
            "--quiet",
            f"--author={author.name} <{author.id}@desk.invalid>",
            "-m",
            message,
            "--only",
            "--",
            path,
        ],
    ):
        done = _git(repo, *args, env=env)
        if done.returncode != 0:
            _git(repo, "reset", "--quiet", "--", path)
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise DeskError(f"git 提交没有成功：{detail[-1] if detail else '原因不明'}")


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False, env=env
    )
