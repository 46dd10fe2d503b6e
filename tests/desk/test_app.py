"""The 投稿台's web application through Starlette's TestClient: the form, checks next to their
fields, states, and every rule of issue 11's item 6 (tokens, another's submission, CSRF,
upload limits while streaming, rate limits, escaping, the sender's file names)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import docxkit
import mediakit
import pytest
import sitekit
from huatuopin.media.settings import MediaSettings
from starlette.testclient import TestClient

from desk import uploads
from desk.app import create_app
from desk.security import FAILED_TOKENS_PER_MINUTE
from desk.state import DeskState, Person

PUBLISHED = """---
title: 张庄的新日子
date: 2021-03-10
activity: 入户访
city: 开封市
county: 兰考县
village: 张庄村
form: 文章
authors:
  - name: 李四
    role: 媒体记者
summary: 张庄村的一户人家算了一笔收入账。
---
三月的东坝头，黄河故道边的风还带着凉意。
"""
GOOD = {
    "title": "东坝头的春天",
    "date": "2021-03-12",
    "activity": "回村看",
    "city": "开封市",
    "county": "兰考县",
    "village": "张庄村",
    "form": "文章",
    "authors[0].name": "王小红",
    "authors[0].role": "媒体记者",
    "authors[0].org": "开封日报",
    "summary": "老书记回到村里，看见了新变化。",
    "body": "老书记回到张庄，村口的路已经修好了。",
}
SCRIPT = "<script>alert(1)</script>"


@dataclass
class Desk:
    client: TestClient
    state: DeskState
    project: Path
    reporter: Person
    reporter_url: str
    editor: Person
    editor_url: str

    def csrf(self, url: str) -> str:
        page = self.client.get(url)
        match = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
        assert match, page.text
        return match.group(1)

    def new_submission(self) -> str:
        """A new submission's form URL."""
        answer = self.client.post(
            self.reporter_url, data={"csrf": self.csrf(self.reporter_url)}, follow_redirects=False
        )
        assert answer.status_code == 303
        return answer.headers["location"]

    def save(self, url: str, fields: dict[str, str], files: dict | None = None):
        data = {"csrf": self.csrf(url), **fields}
        return self.client.post(url, data=data, files=files or {}, follow_redirects=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("desk-project")
    return sitekit.make_project(root, {"2021-03-10-zhangzhuang": PUBLISHED})


@pytest.fixture
def desk(project: Path, tmp_path: Path) -> Iterator[Desk]:
    state = DeskState(tmp_path / "desk", project)
    reporter, reporter_token = state.invite("王小红", "开封日报", "媒体记者")
    editor, editor_token = state.invite("李编辑", "省委宣传部", "其他", editor=True)
    with TestClient(create_app(project, state)) as client:
        yield Desk(
            client,
            state,
            project,
            reporter,
            f"/d/{reporter_token}/",
            editor,
            f"/d/{editor_token}/",
        )


def story_folder(desk: Desk, url: str) -> Path:
    submission_id = url.rstrip("/").rsplit("/", 1)[-1]
    return desk.state.inbox / submission_id / "story"


def problems_at(page: str, field: str) -> list[str]:
    return re.findall(rf'<p class="problem" data-field="{re.escape(field)}">([^<]*)</p>', page)


# -- the form ----------------------------------------------------------------------------------


def test_a_new_submission_starts_with_the_invited_person_as_author(desk: Desk) -> None:
    url = desk.new_submission()

    page = desk.client.get(url).text

    assert 'name="authors[0].name" type="text" value="王小红"' in page
    assert 'name="authors[0].org" type="text" value="开封日报"' in page
    assert re.search(r"<option selected>媒体记者</option>", page)


def test_fields_carry_the_story_contracts_names(desk: Desk) -> None:
    page = desk.client.get(desk.new_submission()).text

    for name in (
        "title", "date", "activity", "city", "county", "village", "form", "summary", "body",
        "cover", "pairs[0].before", "pairs[0].after", "pairs[0].before_year", "pairs[0].theme",
        "pairs[0].caption", "videos[0].file", "audios[0].file", "consent",
    ):  # fmt: skip
        assert f'name="{name}"' in page, name
    assert "党员干部、驻村工作队和帮扶责任人走进脱贫户家中" in page  # 入户访's purpose
    assert "最多 120 个字" in page


def test_saving_writes_index_md_that_passes_the_builds_checks(desk: Desk) -> None:
    url = desk.new_submission()

    page = desk.save(url, GOOD).text

    assert "没有发现问题" in page
    text = (story_folder(desk, url) / "index.md").read_text("utf-8")
    assert "title: 东坝头的春天" in text
    assert "老书记回到张庄" in text


def test_county_is_a_second_step_without_script(desk: Desk) -> None:
    url = desk.new_submission()
    first = desk.client.get(url).text
    assert "请先选省辖市" in first
    assert "<option>兰考县</option>" not in first

    after = desk.save(url, {"city": "开封市", "step": "city"}).text

    assert "<option>兰考县</option>" in after
    assert "<option>洛宁县</option>" not in after  # 洛阳市's


def test_village_suggestions_come_from_the_published_site(desk: Desk) -> None:
    url = desk.new_submission()

    page = desk.save(url, {"city": "开封市", "county": "兰考县"}).text

    assert '<datalist id="villages"><option value="张庄村"></option></datalist>' in page


def test_problems_appear_next_to_their_fields_in_make_checks_words(desk: Desk) -> None:
    url = desk.new_submission()

    page = desk.save(url, {**GOOD, "activity": "回乡看", "summary": "长" * 130}).text

    assert problems_at(page, "activity") == [
        "“回乡看”不是活动类型；是不是想写“回村看”？可选：入户访、大家谈、回村看、亮成果、话未来"
    ]
    assert any("120" in message for message in problems_at(page, "summary"))
    assert problems_at(page, "title") == []


def test_a_near_miss_village_name_is_caught_against_the_published_site(desk: Desk) -> None:
    url = desk.new_submission()

    page = desk.save(url, {**GOOD, "village": "张庄"}).text

    assert problems_at(page, "village"), page


def test_a_personal_number_blocks_submitting(desk: Desk) -> None:
    url = desk.new_submission()
    desk.save(url, {**GOOD, "summary": "户主身份证 410102199001011234"})

    answer = desk.client.post(url + "submit", data={"csrf": desk.csrf(url)})

    assert answer.status_code == 409
    assert "身份证" in answer.text
    assert desk.state.all_submissions()[0].state == "草稿"


# -- states and the editor -----------------------------------------------------------------------


def test_submit_return_with_a_note_and_the_list_shows_it(desk: Desk) -> None:
    url = desk.new_submission()
    desk.save(url, GOOD)
    desk.client.post(url + "submit", data={"csrf": desk.csrf(url)})
    submission = desk.state.all_submissions()[0]
    assert submission.state == "待审核"
    queue = desk.client.get(desk.editor_url + "editor/").text
    assert "东坝头的春天" in queue

    detail = f"{desk.editor_url}editor/s/{submission.id}/"
    desk.client.post(
        detail, data={"csrf": desk.csrf(detail), "action": "return", "note": "请补一张照片"}
    )

    mine = desk.client.get(desk.reporter_url).text
    assert "退回修改" in mine
    assert "请补一张照片" in mine


def test_a_contributor_has_no_editor_queue(desk: Desk) -> None:
    assert desk.client.get(desk.reporter_url + "editor/").status_code == 404


# -- safe by default -----------------------------------------------------------------------------


def test_an_unknown_token_is_a_chinese_404(desk: Desk) -> None:
    answer = desk.client.get("/d/not-a-token/")

    assert answer.status_code == 404
    assert "找不到这个页面" in answer.text


def test_a_revoked_token_is_a_404(desk: Desk) -> None:
    desk.state.revoke(desk.reporter.id)

    assert desk.client.get(desk.reporter_url).status_code == 404


def test_wrong_tokens_are_rate_limited_per_address(desk: Desk) -> None:
    for number in range(FAILED_TOKENS_PER_MINUTE):
        assert desk.client.get(f"/d/wrong-{number}/").status_code == 404

    answer = desk.client.get("/d/wrong-again/")

    assert answer.status_code == 429
    assert "请稍后再试" in answer.text
    assert desk.client.get(desk.reporter_url).status_code == 429


def test_another_persons_submission_is_a_404(desk: Desk) -> None:
    url = desk.new_submission()
    submission_id = url.rstrip("/").rsplit("/", 1)[-1]
    _other, token = desk.state.invite("赵六", "洛阳日报", "媒体记者")
    theirs = f"/d/{token}/s/{submission_id}/"

    assert desk.client.get(theirs).status_code == 404
    assert desk.client.get(theirs + "preview/").status_code == 404
    assert desk.client.post(theirs, data={"title": "x"}).status_code == 404
    assert desk.client.post(theirs + "submit", data={}).status_code == 404


@pytest.mark.parametrize("csrf", [None, "", "0" * 64])
def test_every_post_needs_the_csrf_token(desk: Desk, csrf: str | None) -> None:
    url = desk.new_submission()
    before = (story_folder(desk, url) / "index.md").read_text("utf-8")
    data = {} if csrf is None else {"csrf": csrf}

    assert desk.client.post(desk.reporter_url, data=data).status_code == 403
    assert desk.client.post(url, data={**data, "title": "改过"}).status_code == 403
    assert desk.client.post(url + "submit", data=data).status_code == 403
    assert (story_folder(desk, url) / "index.md").read_text("utf-8") == before
    assert len(desk.state.all_submissions()) == 1


def test_another_persons_csrf_token_is_refused(desk: Desk) -> None:
    url = desk.new_submission()
    editors = desk.csrf(desk.editor_url)

    assert desk.client.post(url, data={"csrf": editors, "title": "改过"}).status_code == 403


def test_a_photo_over_the_limit_is_refused_while_streaming_and_nothing_is_kept(
    desk: Desk, project: Path
) -> None:
    url = desk.new_submission()
    folder = story_folder(desk, url)
    csrf = desk.csrf(url).encode()

    def body() -> Iterator[bytes]:
        boundary = b"--XyZ"
        yield boundary + b'\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n'
        yield csrf + b"\r\n"
        yield boundary + b'\r\nContent-Disposition: form-data; name="cover"; filename="big.jpg"'
        yield b"\r\nContent-Type: image/jpeg\r\n\r\n"
        chunk = b"\xff" * (1024 * 1024)
        for _ in range(60):
            yield chunk
        yield b"\r\n" + boundary + b"--\r\n"

    answer = desk.client.post(
        url,
        content=body(),
        headers={"content-type": "multipart/form-data; boundary=XyZ"},
    )

    assert answer.status_code == 413
    assert "超过上限 40 MB" in answer.text
    assert sorted(p.name for p in folder.iterdir()) == ["index.md"]
    assert not any(p.name.startswith(".upload-") for p in folder.parent.iterdir())


def test_the_stream_is_not_read_past_the_limit(tmp_path: Path) -> None:
    read = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal read
        boundary = b"--XyZ"
        yield boundary + b'\r\nContent-Disposition: form-data; name="cover"; filename="a.jpg"'
        yield b"\r\n\r\n"
        for _ in range(200):  # 200 MB offered
            read += 1024 * 1024
            yield b"\xff" * (1024 * 1024)
        yield b"\r\n" + boundary + b"--\r\n"

    receiving = uploads.receive(
        "multipart/form-data; boundary=XyZ", body(), tmp_path, MediaSettings()
    )
    # A thread of its own: a browser test before may have left an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool, pytest.raises(uploads.UploadRefused) as refused:
        pool.submit(asyncio.run, receiving).result()

    assert refused.value.status == 413
    assert read <= 41 * 1024 * 1024
    assert list(tmp_path.iterdir()) == []


def test_uploads_never_use_the_senders_file_name(desk: Desk) -> None:
    url = desk.new_submission()
    photo = mediakit.small_jpeg()

    desk.save(
        url,
        {**GOOD, "consent": "yes"},
        files={"cover": ("../../x.jpg", photo, "image/jpeg")},
    )

    folder = story_folder(desk, url)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and "index.md" in names
    saved = next(n for n in names if n != "index.md")
    assert re.fullmatch(r"cover-[0-9a-f]{8}\.jpg", saved)
    assert not (folder.parent.parent / "x.jpg").exists()
    assert not any(p.name == "x.jpg" for p in desk.state.root.rglob("*"))
    assert f"cover: {saved}" in (folder / "index.md").read_text("utf-8")


@pytest.mark.parametrize(
    "field",
    ["title", "summary", "village", "township", "body", "authors[0].name", "authors[0].org"],
)
def test_contributor_text_is_escaped_wherever_it_is_shown(desk: Desk, field: str) -> None:
    url = desk.new_submission()
    desk.save(url, {**GOOD, field: f"x{SCRIPT}"})
    desk.client.post(url + "submit", data={"csrf": desk.csrf(url)})

    pages = [desk.client.get(url).text, desk.client.get(desk.reporter_url).text]
    pages.append(desk.client.get(desk.editor_url + "editor/").text)
    for page in pages:
        assert SCRIPT not in page
    assert "&lt;script&gt;" in pages[0]


def test_pages_send_no_referrer_and_a_strict_csp(desk: Desk) -> None:
    answer = desk.client.get(desk.reporter_url)

    assert answer.headers["referrer-policy"] == "no-referrer"
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["cache-control"] == "no-store"


def test_a_video_longer_than_the_limit_is_refused_and_deleted(tmp_path: Path) -> None:
    project = sitekit.make_project(tmp_path / "project", {})
    sitekit.override_config(project, {"extra": {"media": {"max_video_minutes": 0.02}}})
    state = DeskState(tmp_path / "desk", project)
    _, token = state.invite("王小红", "开封日报", "媒体记者")
    video = mediakit.make_video(tmp_path / "clip.mp4", size="320x240", seconds=3).read_bytes()
    with TestClient(create_app(project, state)) as client:
        desk = Desk(
            client, state, project, state.people()[0], f"/d/{token}/", state.people()[0], ""
        )
        url = desk.new_submission()

        answer = desk.save(
            url,
            {"videos[0].caption": "合唱"},
            files={"videos[0].file": ("v.mp4", video, "video/mp4")},
        )

    assert answer.status_code == 413
    assert "超过上限 0 分 01 秒" in answer.text
    home = story_folder(desk, url).parent
    assert sorted(p.name for p in story_folder(desk, url).iterdir()) == ["index.md"]
    assert not any(p.name.startswith(".upload-") for p in home.iterdir())


def test_a_docx_becomes_the_body(desk: Desk) -> None:
    url = desk.new_submission()
    document = docxkit.docx_bytes(("h2", "村口的路"), ("p", "老书记回到张庄。"))

    page = desk.save(
        url, GOOD, files={"body_docx": ("稿件.docx", document, "application/octet-stream")}
    ).text

    text = (story_folder(desk, url) / "index.md").read_text("utf-8")
    assert "老书记回到张庄。" in text
    assert "村口的路" in page
    assert "稿件.docx" not in "".join(p.name for p in story_folder(desk, url).iterdir())


def test_a_broken_docx_is_reported_at_the_body(desk: Desk) -> None:
    url = desk.new_submission()

    answer = desk.save(
        url, GOOD, files={"body_docx": ("a.docx", b"not a zip", "application/octet-stream")}
    )

    assert answer.status_code == 400
    assert problems_at(answer.text, "body")


def test_two_saves_at_once_both_land_whole(desk: Desk) -> None:
    url = desk.new_submission()
    csrf = desk.csrf(url)
    titles = [f"标题{number}" for number in range(6)]

    def save(title: str) -> int:
        return desk.client.post(url, data={"csrf": csrf, **GOOD, "title": title}).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(save, titles))

    assert set(codes) == {200}
    text = (story_folder(desk, url) / "index.md").read_text("utf-8")
    assert sum(f"title: {t}\n" in text for t in titles) == 1
    assert text.count("\n---\n") == 1 and text.startswith("---\n")


def test_choosing_another_city_without_script_clears_the_old_county(desk: Desk) -> None:
    url = desk.new_submission()
    desk.save(url, {"city": "开封市", "county": "兰考县"})

    page = desk.save(url, {"city": "洛阳市", "county": "兰考县", "step": "city"}).text

    assert "<option>洛宁县</option>" in page
    assert "<option selected>兰考县</option>" not in page


def test_the_editor_never_sees_a_draft(desk: Desk) -> None:
    url = desk.new_submission()
    desk.save(url, {**GOOD, "title": "还没提交的稿件", "summary": "电话 13812345678"})
    submission_id = url.rstrip("/").rsplit("/", 1)[-1]

    queue = desk.client.get(desk.editor_url + "editor/").text

    assert "还没提交的稿件" not in queue
    for path in (
        f"editor/s/{submission_id}/",
        f"s/{submission_id}/",
        f"s/{submission_id}/preview/",
    ):
        assert desk.client.get(desk.editor_url + path).status_code == 404


def test_the_preview_serves_nothing_outside_its_own_site(desk: Desk) -> None:
    url = desk.new_submission()
    submission_id = url.rstrip("/").rsplit("/", 1)[-1]
    site = desk.state.root / "previews" / submission_id
    site.mkdir(parents=True)
    (site / "index.html").write_text("预览", "utf-8")
    (desk.state.root / "secret.txt").write_text("不该看到", "utf-8")

    assert desk.client.get(url + "preview/index.html").text == "预览"
    for path in ("../secret.txt", "..%2F..%2Fsecret.txt", "../../people.json"):
        answer = desk.client.get(url + "preview/" + path)
        assert answer.status_code == 404 or "不该看到" not in answer.text
        assert "token" not in answer.text
