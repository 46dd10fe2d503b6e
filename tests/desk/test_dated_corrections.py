"""The desk checks a submission's dates as the build does: a correction dated after today is
a problem there too (it is judged on each check, not kept with the story's read). A
submission may not withdraw itself: that is the editors' (make takedown)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sitekit

from desk.checks import check_submission
from tests.unit.storykit import front_matter, render


def test_a_correction_dated_after_today_is_a_problem_at_the_desk(tmp_path: Path) -> None:
    project = sitekit.make_project(tmp_path / "site", {})
    later = dt.date.today() + dt.timedelta(days=2)
    submission = tmp_path / "submission"
    submission.mkdir()
    text = render(front_matter({"corrections": [{"date": later, "note": "改正。"}]}))
    (submission / "index.md").write_text(text, encoding="utf-8")

    problems = check_submission(project, submission)

    assert [(p.line, p.field) for p in problems] == [
        (sitekit.line_of(text, f"date: {later}"), "corrections[0].date")
    ]
    assert "更正日期" in problems[0].message


@pytest.mark.parametrize(
    "block",
    [
        {"date": dt.date(2021, 5, 1), "reason": "不要了"},
        # Unfinished: the desk says to delete it, not to add a reason or change the date.
        {"date": dt.date(2021, 5, 1)},
        {"date": dt.date.today() + dt.timedelta(days=3), "reason": "不要了"},
        "不要了",
    ],
)
def test_a_submission_that_says_withdrawn_is_refused_at_the_desk(
    tmp_path: Path, block: object
) -> None:
    project = sitekit.make_project(tmp_path / "site", {})
    submission = tmp_path / "submission"
    submission.mkdir()
    text = render(front_matter({"withdrawn": block}))
    (submission / "index.md").write_text(text, encoding="utf-8")

    problems = check_submission(project, submission)

    assert [(p.line, p.field) for p in problems] == [
        (sitekit.line_of(text, "withdrawn:"), "withdrawn")
    ]
    assert "make takedown" in problems[0].message
