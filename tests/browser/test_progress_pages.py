"""/progress/ and a city's progress page on a phone (390×844): the page never scrolls
sideways (the table scrolls in its own frame, its city column kept in view), nothing is cut
off, and the charts' figures stay legible. Screenshots go to /tmp/progress-shots/."""

from __future__ import annotations

from pathlib import Path

import pytest
import sitekit

SHOTS = Path("/tmp/progress-shots")
MIN_CHART_TEXT_PX = 11  # what a reader can still read on a phone


@pytest.mark.parametrize(
    ("path", "name"), [("/progress/", "index"), ("/progress/kaifeng/", "kaifeng")]
)
def test_progress_pages_fit_a_phone_with_legible_charts(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite, path: str, name: str
) -> None:
    page = phone.open(sample_site.url(path))
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    frame = page.locator(".pg-table__frame").first
    box = frame.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    # The table is wider than the phone and scrolls inside its frame, to its last column.
    assert frame.evaluate("f => f.scrollWidth > f.clientWidth")
    frame.evaluate("f => { f.scrollLeft = f.scrollWidth; }")
    last = page.locator(".pg-table thead th").last
    last_box = last.bounding_box()
    assert last_box is not None and last_box["x"] + last_box["width"] <= box["x"] + box["width"] + 1
    # The city column stays in view while the figures scroll under it.
    city = page.locator(".pg-table tbody th").first.bounding_box()
    assert city is not None and city["x"] >= box["x"] - 1

    sizes = page.locator(".pg-chart text").evaluate_all(
        "texts => texts.map(t => t.getBoundingClientRect().height)"
    )
    assert sizes and min(sizes) >= MIN_CHART_TEXT_PX
    charts = page.locator(".pg-chart svg").evaluate_all(
        "svgs => svgs.map(s => s.getBoundingClientRect().right)"
    )
    assert max(charts) <= width

    SHOTS.mkdir(parents=True, exist_ok=True)
    frame.evaluate("f => { f.scrollLeft = 0; }")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    frame.evaluate("f => { f.scrollLeft = f.scrollWidth; }")
    frame.screenshot(path=str(SHOTS / f"{name}-table-scrolled.png"))
