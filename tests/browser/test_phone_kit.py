"""The phone the browser tests look through (sitekit.Phone) notices what they fail on: a
dialog, a page that navigates away, a request or WebSocket off 127.0.0.1 (which never gets
through), an uncaught script error; and visiting pages on several phones in turn reports each
page's own findings."""

from __future__ import annotations

from pathlib import Path

import pytest
import sitekit
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

PAGES = {
    "quiet.html": "<p>安静的一页</p>",
    "alert.html": "<script>alert('弹窗')</script>",
    "late.html": "<script>setTimeout(() => confirm('晚一点'), 50)</script>",
    "away.html": '<meta http-equiv="refresh" content="0;url=quiet.html">',
    "outside.html": '<img src="https://example.org/x.png">',
    "address.html": '<img src="http://192.0.2.1/y.png">',
    "socket.html": "<script>new WebSocket('wss://example.org/live')</script>",
    "reach.html": (
        "<script>fetch('https://example.org/').then("
        "() => { document.title = 'reached' }, () => { document.title = 'refused' })</script>"
    ),
    "broken.html": "<script>undefinedFunction()</script>",
}


def test_the_phone_sees_what_the_tests_fail_on(browser: Browser, tmp_path: Path) -> None:
    for name, body in PAGES.items():
        (tmp_path / name).write_text(f"<!doctype html><meta charset=utf-8>{body}", "utf-8")
    phones = [sitekit.Phone.in_browser(browser), sitekit.Phone.in_browser(browser)]
    try:
        with sitekit.serve_directory(tmp_path) as base_url:
            urls = [f"{base_url}/{name}" for name in PAGES]
            visits: dict[str, sitekit.Visit] = {}
            # Settling far longer than late.html waits, so a busy machine still sees its dialog.
            for phone, visit in sitekit.visit_each(phones, urls, settle_ms=1000):
                name = visit.url.rsplit("/", 1)[1]
                visits[name] = visit
                if name == "reach.html":  # the request is refused, not just noted
                    phone.page.wait_for_function("() => document.title !== ''")
                    assert phone.page.title() == "refused"
    finally:
        for phone in phones:
            phone.close()
    assert [name for name, visit in visits.items() if visit.went_to] == ["away.html"]
    assert visits["away.html"].went_to == f"{base_url}/quiet.html"
    assert visits["alert.html"].dialogs == ["alert: 弹窗"]
    assert visits["late.html"].dialogs == ["confirm: 晚一点"], "a dialog after load is seen"
    assert visits["outside.html"].blocked == ["https://example.org/x.png"]
    assert visits["address.html"].blocked == ["http://192.0.2.1/y.png"]
    assert visits["socket.html"].blocked == ["wss://example.org/live"]
    assert visits["reach.html"].blocked == ["https://example.org/"]
    for name in ("quiet.html", "broken.html"):
        assert (visits[name].dialogs, visits[name].blocked) == ([], [])
    errors = [error for phone in phones for error in phone.script_errors]
    assert len(errors) == 1 and "undefinedFunction" in errors[0]
    for phone in phones:  # what the `phone` fixtures fail a test on
        with pytest.raises(AssertionError):
            phone.assert_nothing_went_wrong()
