"""The 投稿台 web application: contributors' forms, the editor's queue, previews.

Every page is under `/d/<token>/`: the token is the person's credential, checked on every
request (an unknown one is a Chinese 404, and too many from one address a 429). Every POST
carries the person's CSRF token in a hidden field. Pages are rendered from desk/templates
with autoescaping on; nothing a contributor typed is ever marked safe.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from huatuopin import urls
from huatuopin.catalog import build_catalog
from huatuopin.gazetteer import load_gazetteer
from huatuopin.media.settings import MediaSettings
from huatuopin.problems import Problem
from huatuopin.project import Project, load_project
from huatuopin.stories import MAX_SUMMARY_CHARS, MAX_TITLE_CHARS
from huatuopin.vocab import ACTIVITIES, AUTHOR_ROLES, FORMS, PAIR_THEMES
from jinja2 import Environment, FileSystemLoader
from mkdocs.config import load_config
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import forms, uploads
from .checks import check_submission
from .preview import PreviewError, build_preview, preview_file
from .security import CSRF_FIELD, FailureLimiter, csrf_ok, csrf_token, load_secret
from .state import DeskError, DeskState, Person, Submission

HERE = Path(__file__).parent
SHANGHAI = ZoneInfo("Asia/Shanghai")
DRAFT, WAITING, RETURNED, ACCEPTED = "草稿", "待审核", "退回修改", "已采用"
VILLAGES_SECONDS = 60.0
SMALL_FORM_BYTES = 64 * 1024  # a note to the author, a button: never a file
# Small forms take no file: a file part there is refused at its first byte.
NO_FILES = MediaSettings(max_image_mb=1e-9, max_video_mb=1e-9, max_audio_mb=1e-9)
EDITOR_ORDER = (WAITING, RETURNED, ACCEPTED)  # drafts are the contributor's own until submitted
CSP = (
    "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; "
    "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    # The token is in every URL: never send it on to another site, never cache a page.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


@dataclass
class Desk:
    project: Project
    state: DeskState
    secret: bytes
    limiter: FailureLimiter
    env: Environment
    site_url: str
    _villages: tuple[float, dict[tuple[str, str], list[str]]] | None = None

    def known_villages(self, city: str, county: str) -> list[str]:
        """The published site's villages of a county, for the form's suggestions; the catalog
        is read again at most once a minute."""
        if self._villages is None or time.monotonic() - self._villages[0] > VILLAGES_SECONDS:
            catalog = build_catalog(
                self.project.root,
                self.project.docs_dir,
                self.project.settings,
                include_drafts=False,
            )
            groups: dict[tuple[str, str], list[str]] = {}
            for village in catalog.villages.values():
                groups.setdefault((village.place.city, village.place.county), []).append(
                    village.name
                )
            self._villages = (time.monotonic(), {k: sorted(v) for k, v in groups.items()})
        return self._villages[1].get((city, county), [])

    def person_name(self, person_id: str) -> str:
        for person in self.state.people():
            if person.id == person_id:
                return f"{person.org} {person.name}".strip()
        return person_id

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status, headers=HEADERS)


def create_app(project_root: Path, state: DeskState | None = None) -> Starlette:
    project = load_project(project_root / "mkdocs.yml")
    state = state or DeskState.for_project(project.root)
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    site_url = load_config(str(project.root / "mkdocs.yml")).site_url or "/"
    desk = Desk(project, state, load_secret(state.root), FailureLimiter(), env, site_url)

    def route(path: str, handler: Handler, methods: list[str]) -> Route:
        async def endpoint(request: Request) -> Response:
            return await _guarded(desk, request, handler)

        return Route(path, endpoint, methods=methods)

    routes = [
        route("/d/{token}/", home, ["GET", "POST"]),
        route("/d/{token}/s/{sid}/", story_form, ["GET", "POST"]),
        route("/d/{token}/s/{sid}/submit", submit, ["POST"]),
        route("/d/{token}/s/{sid}/preview/{path:path}", preview, ["GET"]),
        route("/d/{token}/editor/", editor_queue, ["GET"]),
        route("/d/{token}/editor/s/{sid}/", editor_story, ["GET", "POST"]),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        return desk.page("not_found.html", 404)

    return Starlette(routes=routes, exception_handlers={404: not_found})


Handler = Callable[[Desk, Request, Person], Awaitable[Response]]


async def _guarded(desk: Desk, request: Request, handler: Handler) -> Response:
    client = request.client.host if request.client else "unknown"
    if desk.limiter.blocked(client):
        return desk.page("too_many.html", 429)
    person = desk.state.person_for_token(request.path_params["token"])
    if person is None:
        desk.limiter.failed(client)
        return desk.page("not_found.html", 404)
    try:
        return await handler(desk, request, person)
    except DeskError as refusal:
        return desk.page("refused.html", 409, message=str(refusal), links=links(request, person))
    except uploads.UploadRefused as refusal:
        return desk.page(
            "refused.html", refusal.status, message=refusal.message, links=links(request, person)
        )


def base(request: Request) -> str:
    return f"/d/{request.path_params['token']}"


def links(request: Request, person: Person) -> dict[str, str]:
    root = base(request)
    return {"home": f"{root}/", "editor": f"{root}/editor/" if person.editor else ""}


def local_time(moment: dt.datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


async def posted_form(desk: Desk, request: Request, person: Person) -> dict[str, str]:
    """A small form (a button, a note), read within SMALL_FORM_BYTES; its CSRF token checked
    (Forbidden otherwise)."""
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > SMALL_FORM_BYTES:
            raise uploads.UploadRefused(413, "提交的内容太长；请缩短后再试")

    async def again() -> AsyncIterator[bytes]:
        yield bytes(body)

    fields: dict[str, str] = {}
    if body:
        received = await uploads.receive(
            request.headers.get("content-type", ""), again(), desk.state.root, NO_FILES
        )
        received.discard()
        fields = received.fields
    if not csrf_ok(desk.secret, person.id, fields.get(CSRF_FIELD)):
        raise Forbidden()
    return fields


class Forbidden(Exception):
    pass


def forbidden(desk: Desk) -> HTMLResponse:
    return desk.page("forbidden.html", 403)


def submission_or_404(desk: Desk, request: Request, person: Person) -> Submission | None:
    return desk.state.get(request.path_params["sid"], person)


def summary_of(desk: Desk, request: Request, submission: Submission) -> dict[str, Any]:
    # An accepted story's text is in docs/stories now, no longer in the inbox.
    folder = desk.project.root / submission.published if submission.published else submission.folder
    form = forms.read_form(folder) if folder.is_dir() else None
    title = (form.values.get("title") if form else "") or "（还没有标题）"
    published = ""
    if submission.published:
        published = (
            desk.site_url.rstrip("/")
            + "/"
            + urls.story(submission.published.rsplit("/", 1)[-1]).lstrip("/")
        )
    return {
        "id": submission.id,
        "title": title,
        "state": submission.state,
        "note": submission.note,
        "updated": local_time(submission.updated),
        "published": published,
        "url": f"{base(request)}/s/{submission.id}/",
        "editor_url": f"{base(request)}/editor/s/{submission.id}/",
    }


async def home(desk: Desk, request: Request, person: Person) -> Response:
    if request.method == "POST":
        try:
            await posted_form(desk, request, person)
        except Forbidden:
            return forbidden(desk)
        submission = desk.state.create(person)
        with desk.state.editing(submission, person) as folder:
            starter = forms.StoryForm(
                authors=[{"name": person.name, "role": person.role, "org": person.org}]
            )
            (folder / "index.md").write_text(
                forms.render(starter, desk.project.settings), encoding="utf-8"
            )
        return RedirectResponse(f"{base(request)}/s/{submission.id}/", status_code=303)
    mine = [summary_of(desk, request, s) for s in desk.state.submissions_of(person)]
    return desk.page(
        "home.html",
        person=person,
        submissions=mine,
        csrf=csrf_token(desk.secret, person.id),
        links=links(request, person),
    )


def _save_note(notes: dict[str, list[str]], name: str, message: str) -> None:
    notes.setdefault(name, []).append(message)


async def story_form(desk: Desk, request: Request, person: Person) -> Response:
    submission = submission_or_404(desk, request, person)
    if submission is None or (submission.owner != person.id and submission.state == DRAFT):
        return desk.page("not_found.html", 404)
    if request.method == "POST":
        return await save(desk, request, person, submission)
    return show_form(desk, request, person, submission)


def show_form(
    desk: Desk,
    request: Request,
    person: Person,
    submission: Submission,
    notes: dict[str, list[str]] | None = None,
    status: int = 200,
) -> Response:
    editable = submission.state in (DRAFT, RETURNED) and submission.owner == person.id
    saved = forms.read_form(submission.folder) if submission.folder.is_dir() else forms.StoryForm()
    form = forms.with_empty_slots(saved)
    problems = check_submission(desk.project.root, submission.folder) if editable else []
    by_field, rest = forms.place_problems(problems, forms.form_fields(form))
    for name, messages in (notes or {}).items():
        by_field.setdefault(name, [])[:0] = messages
    gazetteer = load_gazetteer()
    city = gazetteer.city(form.values.get("city", ""))
    counties = sorted(city.counties) if city else []
    villages = desk.known_villages(form.values.get("city", ""), form.values.get("county", ""))
    return desk.page(
        "story.html",
        status,
        person=person,
        submission=summary_of(desk, request, submission),
        editable=editable,
        form=form,
        problems=by_field,
        top_problems=[f"{p.field}: {p.message}" for p in rest],
        problem_count=len(problems),
        activities=ACTIVITIES,
        forms_=FORMS,
        roles=AUTHOR_ROLES,
        themes=list(PAIR_THEMES),
        cities=list(gazetteer.cities),
        counties=counties,
        county_map={name: sorted(c.counties) for name, c in gazetteer.cities.items()},
        villages=villages,
        max_title=MAX_TITLE_CHARS,
        max_summary=MAX_SUMMARY_CHARS,
        window=f"{desk.project.settings.start} 至 {desk.project.settings.end}",
        media=desk.project.settings.media,
        csrf=csrf_token(desk.secret, person.id),
        action=f"{base(request)}/s/{submission.id}/",
        submit_url=f"{base(request)}/s/{submission.id}/submit",
        preview_url=f"{base(request)}/s/{submission.id}/preview/",
        links=links(request, person),
    )


async def save(desk: Desk, request: Request, person: Person, submission: Submission) -> Response:
    media = desk.project.settings.media
    staging_parent = submission.folder.parent
    try:
        received = await uploads.receive(
            request.headers.get("content-type", ""), request.stream(), staging_parent, media
        )
    except uploads.UploadRefused as refusal:
        return desk.page(
            "refused.html", refusal.status, message=refusal.message, links=links(request, person)
        )
    try:
        if not csrf_ok(desk.secret, person.id, received.fields.get(CSRF_FIELD)):
            return forbidden(desk)
        for upload in received.files.values():
            message = uploads.too_long(upload, media)
            if message:
                return desk.page("refused.html", 413, message=message, links=links(request, person))
        notes: dict[str, list[str]] = {}
        with desk.state.editing(submission, person) as folder:
            saved = forms.read_form(folder)
            form = forms.merge_posted(saved, received.fields)
            if "body_docx" in received.files:
                _docx_into(form, received.files.pop("body_docx"), notes)
            _place_media(form, received, folder, notes)
            (folder / "index.md").write_text(
                forms.render(form, desk.project.settings), encoding="utf-8"
            )
            _drop_unused(saved, form, folder)
    finally:
        received.discard()
    if notes:
        return show_form(desk, request, person, submission, notes, status=400)
    return RedirectResponse(f"{base(request)}/s/{submission.id}/", status_code=303)


def _docx_into(form: forms.StoryForm, upload: uploads.ReceivedFile, notes: dict) -> None:
    from .docx import ConversionError, docx_to_markdown

    try:
        form.values[forms.BODY] = docx_to_markdown(upload.path.read_bytes())
    except ConversionError as error:
        _save_note(notes, forms.BODY, str(error))


def _place_media(
    form: forms.StoryForm, received: uploads.Received, folder: Path, notes: dict
) -> None:
    """Move each upload into the story folder and name it in the form."""
    for name, upload in received.files.items():
        stem = name.replace("[", "").replace("]", "").replace(".", "-")
        path = uploads.place(upload, folder, stem)
        if upload.kind == "image":
            from .photos import ConversionError, normalise_upload

            try:
                converted = normalise_upload(path)
            except ConversionError as error:
                path.unlink(missing_ok=True)
                _save_note(notes, name, str(error))
                continue
            if converted != path:
                path.unlink(missing_ok=True)  # the JPEG beside it is what the story names
            path = converted
        _name_media(form, name, path.name)


def _name_media(form: forms.StoryForm, field: str, file_name: str) -> None:
    if field == "cover":
        form.cover = file_name
        return
    key, rest = field.split("[", 1)
    index_text, sub = rest.split("].", 1)
    items = {"pairs": form.pairs, "videos": form.videos, "audios": form.audios}[key]
    index = int(index_text)
    while len(items) <= index:
        items.append({})
    items[index][sub] = file_name


def _drop_unused(saved: forms.StoryForm, form: forms.StoryForm, folder: Path) -> None:
    """Files replaced or removed in this save; only names index.md held are ever deleted."""
    for name in saved.media_names() - form.media_names():
        candidate = folder / name
        if candidate.parent == folder and candidate.is_file() and not candidate.is_symlink():
            candidate.unlink()


async def submit(desk: Desk, request: Request, person: Person) -> Response:
    submission = submission_or_404(desk, request, person)
    if submission is None or submission.owner != person.id:
        return desk.page("not_found.html", 404)
    try:
        await posted_form(desk, request, person)
    except Forbidden:
        return forbidden(desk)
    problems = check_submission(desk.project.root, submission.folder)
    if problems:
        # Personal numbers above all: nothing with a problem reaches the editor.
        return show_form(
            desk,
            request,
            person,
            submission,
            {"": [f"还有 {len(problems)} 个问题，改好后才能提交"]},
            status=409,
        )
    desk.state.set_state(submission, person, WAITING)
    return RedirectResponse(f"{base(request)}/", status_code=303)


async def preview(desk: Desk, request: Request, person: Person) -> Response:
    """`preview/` builds the story and sends the reader to its page; the files of the small
    site it made (the page, derived media, assets) are served below it."""
    submission = submission_or_404(desk, request, person)
    if submission is None or (submission.owner != person.id and submission.state == DRAFT):
        return desk.page("not_found.html", 404)
    out_dir = desk.state.root / "previews" / submission.id
    path = request.path_params["path"]
    if not path:
        if not submission.folder.is_dir():
            return desk.page("not_found.html", 404)
        try:
            page = build_preview(desk.project.root, submission.folder, out_dir)
        except PreviewError as error:
            return desk.page(
                "refused.html",
                409,
                message=error.message,
                details=error.problems,
                links=links(request, person),
            )
        folder = page.relative_to(out_dir).as_posix()
        return RedirectResponse(f"{base(request)}/s/{submission.id}/preview/{folder}/", 303)
    target = preview_file(out_dir, path)
    if target is None:
        return desk.page("not_found.html", 404)
    media_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return FileResponse(target, media_type=media_type, headers=HEADERS)


async def editor_queue(desk: Desk, request: Request, person: Person) -> Response:
    if not person.editor:
        return desk.page("not_found.html", 404)
    groups = []
    everything = desk.state.all_submissions()
    for state in EDITOR_ORDER:
        items = []
        for submission in (s for s in everything if s.state == state):
            item = summary_of(desk, request, submission)
            item["owner"] = desk.person_name(submission.owner)
            item["problems"] = (
                [str_problem(p) for p in check_submission(desk.project.root, submission.folder)]
                if state == WAITING
                else []
            )
            item["preview"] = f"{base(request)}/s/{submission.id}/preview/"
            items.append(item)
        groups.append({"state": state, "entries": items})
    return desk.page("editor.html", person=person, groups=groups, links=links(request, person))


def str_problem(problem: Problem) -> str:
    return f"{problem.field}: {problem.message}"


async def editor_story(desk: Desk, request: Request, person: Person) -> Response:
    submission = submission_or_404(desk, request, person)
    if not person.editor or submission is None or submission.state == DRAFT:
        return desk.page("not_found.html", 404)
    if request.method == "POST":
        try:
            fields = await posted_form(desk, request, person)
        except Forbidden:
            return forbidden(desk)
        if fields.get("action") == "accept":
            desk.state.accept(submission, person)
        elif fields.get("action") == "return":
            desk.state.set_state(submission, person, RETURNED, fields.get("note", ""))
        return RedirectResponse(f"{base(request)}/editor/", status_code=303)
    item = summary_of(desk, request, submission)
    item["owner"] = desk.person_name(submission.owner)
    problems = (
        check_submission(desk.project.root, submission.folder) if submission.folder.is_dir() else []
    )
    return desk.page(
        "editor_story.html",
        person=person,
        item=item,
        problems=[str_problem(p) for p in problems],
        preview=f"{base(request)}/s/{submission.id}/preview/",
        action=f"{base(request)}/editor/s/{submission.id}/",
        can_decide=submission.state == WAITING,
        csrf=csrf_token(desk.secret, person.id),
        links=links(request, person),
    )
