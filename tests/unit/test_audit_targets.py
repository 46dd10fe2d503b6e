"""`make audit` against its targets (scripts/auditing/targets.py, report.py): what it reads from
a Lighthouse JSON result and axe's findings, and what it says is under target.

Lighthouse itself is heavy and runs only in `make audit`; here a small result with the fields
the audit reads (audit/lighthouse-story.json, shaped as Lighthouse 12 writes them).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from auditing import report
from auditing.targets import (
    AxeFindings,
    PageResult,
    read_axe,
    read_lighthouse,
    shortfalls,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


STORY_RESULT = json.loads((Path(__file__).parent / "audit" / "lighthouse-story.json").read_text())
PAGE_URL = STORY_RESULT["mainDocumentUrl"]
CLEAN_AXE = AxeFindings(status=200)


def lighthouse_result() -> dict[str, Any]:
    return copy.deepcopy(STORY_RESULT)


def page(
    result: dict[str, Any],
    axe: AxeFindings = CLEAN_AXE,
    *,
    not_found: bool = False,
) -> PageResult:
    return PageResult(
        name="稿件（有今昔对比）",
        url=result.get("mainDocumentUrl", PAGE_URL),
        expected_status=404 if not_found else 200,
        lighthouse=read_lighthouse(result, not_found=not_found),
        axe=axe,
    )


def axe_violation(rule: str, impact: str, nodes: int) -> dict[str, Any]:
    return {"id": rule, "impact": impact, "help": f"{rule} help", "nodes": [{}] * nodes}


def test_a_page_on_target_passes_and_its_figures_are_read() -> None:
    result = page(lighthouse_result())

    assert result.lighthouse.scores == {
        "performance": 96,
        "accessibility": 100,
        "best-practices": 100,
        "seo": 100,
    }
    assert result.lighthouse.bytes_before_scrolling == 351232
    assert shortfalls(result) == []
    verdict, passed = report.summary([result], [])
    assert passed
    assert verdict == "审核通过：1 个页面全部达标。"


def test_the_limits_themselves_pass() -> None:
    result = lighthouse_result()
    result["categories"]["performance"]["score"] = 0.95
    result["audits"]["total-byte-weight"]["numericValue"] = 500 * 1024

    assert shortfalls(page(result)) == []


def test_each_score_under_target_is_named_with_the_audits_that_lost_points() -> None:
    result = lighthouse_result()
    result["categories"]["performance"]["score"] = 0.94
    result["audits"]["largest-contentful-paint"]["score"] = 0.9
    result["categories"]["accessibility"]["score"] = 0.93
    result["audits"]["color-contrast"]["score"] = 0
    result["categories"]["seo"]["score"] = 0.99
    result["audits"]["meta-description"]["score"] = 0

    assert shortfalls(page(result)) == [
        "性能 94 分，低于 95 分，失分项：first-contentful-paint、largest-contentful-paint",
        "无障碍 93 分，低于 100 分，失分项：color-contrast",
        "搜索引擎优化 99 分，低于 100 分，失分项：meta-description",
    ]


def test_more_than_500_kb_before_scrolling_is_under_target() -> None:
    result = lighthouse_result()
    result["audits"]["total-byte-weight"]["numericValue"] = 600 * 1024

    assert shortfalls(page(result)) == ["首屏传输 600 KB，超过 500 KB"]


def test_only_serious_and_critical_axe_violations_count() -> None:
    findings = read_axe(
        200,
        {
            "violations": [
                axe_violation("color-contrast", "serious", 149),
                axe_violation("aria-dialog-name", "critical", 1),
                axe_violation("region", "moderate", 3),
                axe_violation("image-redundant-alt", "minor", 2),
            ]
        },
    )

    found = shortfalls(page(lighthouse_result(), findings))

    assert found == [
        "axe color-contrast（严重，149 处）：color-contrast help",
        "axe aria-dialog-name（危急，1 处）：aria-dialog-name help",
    ]
    verdict, passed = report.summary([page(lighthouse_result(), findings)], [])
    assert not passed
    assert verdict.startswith("审核未通过：1 个页面中 1 个未达标。")


def test_a_page_lighthouse_could_not_measure_is_under_target() -> None:
    failed = {"runtimeError": {"code": "NO_FCP", "message": "页面没有绘制任何内容"}}

    assert shortfalls(page(failed)) == ["Lighthouse 没能测量这一页：页面没有绘制任何内容"]


def test_a_page_answering_with_the_wrong_status_is_under_target() -> None:
    assert shortfalls(page(lighthouse_result(), AxeFindings(status=404))) == [
        "网址返回 HTTP 404，应为 200"
    ]
    assert shortfalls(page(not_found_result(), CLEAN_AXE, not_found=True)) == [
        "网址返回 HTTP 200，应为 404"
    ]


def not_found_result(*, other_console_errors: int = 0) -> dict[str, Any]:
    """What Lighthouse 12 says of the 404 page (with --ignore-status-code): the status audit
    fails, and the console holds the browser's line about the document's own 404."""
    result = lighthouse_result()
    missing = "http://127.0.0.1:40000/audit-no-such-page/"
    result["requestedUrl"] = result["mainDocumentUrl"] = result["finalDisplayedUrl"] = missing
    result["audits"]["http-status-code"]["score"] = 0
    result["categories"]["seo"]["score"] = 0.5
    console = result["audits"]["errors-in-console"]
    console["score"] = 0
    console["details"]["items"] = [
        {
            "source": "network",
            "description": "Failed to load resource: the server responded with a status of 404",
            "sourceLocation": {"type": "source-location", "url": missing},
        }
    ] + [
        {
            "source": "network",
            "description": "Failed to load resource: net::ERR_CONNECTION_REFUSED",
            "sourceLocation": {"type": "source-location", "url": "http://assets/x.js"},
        }
    ] * other_console_errors
    result["categories"]["best-practices"]["score"] = 5 / 6
    return result


def test_the_404_page_is_not_marked_down_for_answering_404() -> None:
    result = page(not_found_result(), AxeFindings(status=404), not_found=True)

    assert result.lighthouse.scores["seo"] == 100
    assert result.lighthouse.scores["best-practices"] == 100
    assert shortfalls(result) == []


def test_the_404_page_is_marked_down_for_any_other_console_error() -> None:
    result = page(not_found_result(other_console_errors=1), AxeFindings(status=404), not_found=True)

    assert result.lighthouse.scores["best-practices"] == 83
    assert shortfalls(result) == ["最佳做法 83 分，低于 100 分，失分项：errors-in-console"]


@pytest.mark.parametrize("category", ["seo", "best-practices"])
def test_any_other_page_answering_404_is_marked_down(category: str) -> None:
    result = page(not_found_result(), AxeFindings(status=200))

    assert result.lighthouse.scores[category] < 100
