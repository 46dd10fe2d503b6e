"""The phone the browser tests look through (sitekit.Phone) notices what they fail on: a
dialog, a page that navigates away, a request off 127.0.0.1, an uncaught script error; and
visiting pages on several phones in turn reports each page's own findings."""

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
    "broken.html": "<script>undefinedFunction()</script>",
}


def test_the_phone_sees_what_the_tests_fail_on(browser: Browser, tmp_path: Path) -> None:
    for name, body in PAGES.items():
        (tmp_path / name).write_text(f"<!doctype html><meta charset=utf-8>{body}", "utf-8")
    phones = [sitekit.Phone.in_browser(browser), sitekit.Phone.in_browser(browser)]
    try:
        with sitekit.serve_directory(tmp_path) as base_url:
            urls = [f"{base_url}/{name}" for name in PAGES]
            visits = {
                visit.url.rsplit("/", 1)[1]: visit
                for _, visit in sitekit.visit_each(phones, urls, settle_ms=150)
            }
    finally:
        for phone in phones:
            phone.close()
    assert [name for name, visit in visits.items() if visit.went_to] == ["away.html"]
    assert visits["away.html"].went_to == f"{base_url}/quiet.html"
    assert visits["alert.html"].dialogs == ["alert: 弹窗"]
    assert visits["late.html"].dialogs == ["confirm: 晚一点"], "a dialog after load is seen"
    assert visits["outside.html"].blocked == ["https://example.org/x.png"]
    for name in ("quiet.html", "broken.html"):
        assert (visits[name].dialogs, visits[name].blocked) == ([], [])
    errors = [error for phone in phones for error in phone.script_errors]
    assert len(errors) == 1 and "undefinedFunction" in errors[0]
    for phone in phones:  # what the `phone` fixtures fail a test on
        with pytest.raises(AssertionError):
            phone.assert_nothing_went_wrong()
