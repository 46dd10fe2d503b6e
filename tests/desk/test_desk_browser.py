"""The 投稿台 end to end, as a reporter and an editor use it: the real server (uvicorn on a free
loopback port) and Chromium at phone size. Open the link → fill the form → upload two phone
JPEGs (turned sideways by EXIF, with GPS) and a HEIC → a problem next to a wrong field → fix →
preview → submit → the editor accepts → `mkdocs build` publishes the story with upright photos
and no GPS. Screenshots of the form, a problem, the preview and the editor's queue go to
/tmp/desk-shots/ for a person to look at."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import mediakit
import pytest
import sitekit
import uvicorn
from PIL import Image

from desk.app import create_app
from desk.state import DeskState

SHOTS = Path("/tmp/desk-shots")
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
SLOW_MS = 300_000  # a save converts photos; a preview runs mkdocs build


def git(project: Path, *args: str) -> str:
    env = {
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_SYSTEM": "/dev/null",
        "HOME": "/nonexistent",
    }
    identity = ["-c", "user.name=测试", "-c", "user.email=test@example.invalid"]
    done = subprocess.run(
        ["git", *identity, *args], cwd=project, env=env, check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    return done.stdout


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, DeskState, Path]]:
    project = sitekit.make_project(tmp_path / "project", {"2021-03-10-zhangzhuang": PUBLISHED})
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "网站")
    state = DeskState(tmp_path / "desk", project)
    port = sitekit.free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(project, state), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", state, project
    server.should_exit = True
    thread.join(timeout=10)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True, animations="disabled")


def test_from_invitation_to_published_story(served, new_phone) -> None:
    base, state, project = served
    _, reporter_token = state.invite("王小红", "开封日报", "媒体记者")
    _, editor_token = state.invite("李编辑", "省委宣传部", "其他", editor=True)
    phone = new_phone()
    page = phone.open(f"{base}/d/{reporter_token}/")
    page.set_default_timeout(SLOW_MS)

    with page.expect_navigation():
        page.get_by_role("button", name="新投稿").click()
    form_url = page.url
    page.fill("#f-title", "东坝头的春天")
    page.fill("#f-date", "2022-03-12")  # outside the campaign: a problem at the date
    page.check('input[name="activity"][value="回村看"]')
    page.select_option("#f-city", "开封市")
    page.select_option("#f-county", "兰考县")  # filled in by script from the city
    page.fill("#f-village", "张庄村")
    page.select_option("#f-form", "摄影")
    page.fill("#f-summary", "老书记回到村里，看见了新变化。")
    page.fill("#f-body", "老书记回到张庄，村口的路已经修好了。\n\n院子里种上了花。")
    before = mediakit.camera_jpeg((1600, 1200), orientation=6, seed=4)
    after = mediakit.camera_jpeg((1600, 1200), orientation=6, seed=5)
    for field, name, photo in (
        ("before", "IMG_0001.JPG", before),
        ("after", "IMG_0002.JPG", after),
    ):
        page.set_input_files(
            f'[name="pairs[0].{field}"]', {"name": name, "mimeType": "image/jpeg", "buffer": photo}
        )
    page.set_input_files(
        '[name="cover"]',
        {"name": "IMG_0003.HEIC", "mimeType": "image/heic", "buffer": mediakit.camera_heic()},
    )
    page.fill('[name="pairs[0].before_year"]', "2016")
    page.fill('[name="pairs[0].after_year"]', "2021")
    page.select_option('[name="pairs[0].theme"]', "住房")
    page.fill('[name="pairs[0].caption"]', "危房改造前后")
    page.check('input[name="consent"][value="yes"]')
    shot(page, "1-form")
    with page.expect_navigation(url=form_url):
        page.click("text=保存并检查")

    date_problem = page.locator('.problem[data-field="date"]')
    assert "2022-03-12" in date_problem.inner_text()
    assert page.locator(".problem").count() == 1
    assert "还有 1 个问题" in page.inner_text("#problems")
    assert "已上传" in page.locator("text=已上传").first.inner_text()
    date_problem.scroll_into_view_if_needed()
    shot(page, "2-problem")
    phone.assert_no_horizontal_scroll()

    page.fill("#f-date", "2021-03-12")
    with page.expect_navigation(url=form_url):
        page.click("text=保存并检查")
    assert page.locator(".problem").count() == 0, page.locator(".problem").all_inner_texts()
    assert "没有发现问题" in page.inner_text("#problems")

    with page.expect_navigation():
        page.get_by_role("link", name="预览").click()
    assert "东坝头的春天" in page.inner_text("h1")
    assert page.locator("img").count() >= 2
    shot(page, "3-preview")

    page.goto(form_url)
    with page.expect_navigation():
        page.get_by_role("button", name="提交审核").click()
    assert "待审核" in page.inner_text("main")

    editor = phone.open(f"{base}/d/{editor_token}/editor/")
    assert "东坝头的春天" in editor.inner_text("main")
    shot(editor, "4-editor-queue")
    phone.assert_no_horizontal_scroll()
    with editor.expect_navigation():
        editor.get_by_role("link", name="东坝头的春天").click()
    with editor.expect_navigation():
        editor.get_by_role("button", name="采用并发布").click()
    assert "已采用" in editor.inner_text("main")

    mine = phone.open(f"{base}/d/{reporter_token}/").inner_text("main")
    assert "东坝头的春天" in mine and "已采用" in mine
    folder = state.all_submissions()[0].published.rsplit("/", 1)[-1]
    assert f"/stories/{folder}/" in mine

    assert "投稿台：采用《东坝头的春天》" in git(project, "log", "-1", "--format=%s")
    built = sitekit.build(project)
    assert built.returncode == 0, built.output
    html = (built.site_dir / "stories" / folder / "index.html").read_text("utf-8")
    assert "东坝头的春天" in html
    photos = [p for p in (built.site_dir / "media").rglob("*.jpg")]
    assert len(photos) >= 3
    for path in photos:
        with Image.open(path) as image:
            assert not image.getexif().get_ifd(mediakit.GPS_IFD), path
            assert image.width > image.height, f"{path} is not upright"
            red, green, blue = image.convert("RGB").getpixel((3, 3))
            assert red > 180 and green < 80 and blue < 80, f"{path}: top-left is not the marker"
