"""`withdrawn:` and `corrections:` in a story's front-matter: what is checked, where a mistake
is reported, and what the Catalog then holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import troupekit
from huatuopin.catalog import build_catalog
from huatuopin.models import Correction, Withdrawal
from huatuopin.settings import CampaignSettings
from storykit import (
    DEFAULT_FOLDER,
    DELETE,
    catalog,
    only_one,
    problems_text,
    render,
    write_raw,
    write_story,
)

WITHDRAWN_FOLDER = "2021-04-02-chehui"
REASON = "当事人家属要求撤下照片"
WITHDRAWN = {"date": dt.date(2022, 3, 1), "reason": REASON}


def tomorrow() -> dt.date:
    return dt.date.today() + dt.timedelta(days=2)  # a day after today in any time zone


def withdrawn_story(root: Path, block: Any = None, **overrides: Any) -> Any:
    return write_story(
        root,
        {"withdrawn": WITHDRAWN if block is None else block, **overrides},
        folder=WITHDRAWN_FOLDER,
    )


# -- withdrawn -----------------------------------------------------------------------------


def test_a_withdrawn_story_is_a_withdrawal_not_a_story(tmp_path: Path) -> None:
    story = withdrawn_story(tmp_path)
    write_story(tmp_path)

    result = catalog(tmp_path)

    assert result.problems == (), problems_text(list(result.problems))
    assert [s.folder for s in result.stories] == [DEFAULT_FOLDER]
    assert result.withdrawn == (
        Withdrawal(
            WITHDRAWN_FOLDER, story.rel, dt.date(2022, 3, 1), REASON, story.line("withdrawn:")
        ),
    )
    assert result.withdrawn[0].url == f"stories/{WITHDRAWN_FOLDER}/"
    assert result.validated.withdrawn == result.withdrawn


def test_only_the_withdrawal_is_checked(tmp_path: Path) -> None:
    """Broken fields, an unknown field, photos deleted already, markup and personal numbers
    in the body: none of it matters once the story is withdrawn, and its media are not read."""
    withdrawn_story(
        tmp_path,
        activity="回乡看",
        title=DELETE,
        cover="cover.jpg",
        pairs=[{"before": "gone.jpg"}],
        colour="红",
        draft=True,  # withdrawn beats draft: the notice is published
    )
    (tmp_path / "docs/stories" / WITHDRAWN_FOLDER / "index.md").write_text(
        (tmp_path / "docs/stories" / WITHDRAWN_FOLDER / "index.md").read_text("utf-8")
        + "\n<script>alert(1)</script> 手机 13812345678\n",
        "utf-8",
    )

    result = catalog(tmp_path)

    assert result.problems == (), problems_text(list(result.problems))
    assert [w.folder for w in result.withdrawn] == [WITHDRAWN_FOLDER]
    assert result.stories == () and result.skipped_drafts == ()
    assert len(result.villages) == 0, "a village named only by a withdrawn story has no page"


def test_a_withdrawn_story_never_reaches_the_stories_in_a_preview(tmp_path: Path) -> None:
    withdrawn_story(tmp_path)

    result = catalog(tmp_path, include_drafts=True)

    assert result.stories == () and len(result.withdrawn) == 1


@pytest.mark.parametrize(
    ("block", "field", "needle", "message"),
    [
        (None, "withdrawn", "withdrawn:", "不能为空"),
        ("撤了", "withdrawn", "withdrawn:", "应该是“字段: 值”的组合"),
        ({"reason": REASON}, "withdrawn.date", "withdrawn:", "缺少必填字段"),
        (
            {"date": "2022-02-30", "reason": REASON},
            "withdrawn.date",
            "date: '2022-02-30'",
            "这一天不存在",
        ),
        ({"date": dt.date(2022, 3, 1)}, "withdrawn.reason", "withdrawn:", "缺少必填字段"),
        (
            {"date": dt.date(2022, 3, 1), "reason": "撤" * 81},
            "withdrawn.reason",
            "reason:",
            "最多 80 个字",
        ),
        (
            {"date": dt.date(2022, 3, 1), "reason": "要求<b>撤下</b>"},
            "withdrawn.reason",
            "reason:",
            "不能写 HTML",
        ),
        (
            {"date": dt.date(2022, 3, 1), "reason": "第一行\n第二行"},
            "withdrawn.reason",
            "reason:",
            "只能写一行",
        ),
        (
            {"date": dt.date(2022, 3, 1), "reason": "家属电话 13812345678"},
            "withdrawn.reason",
            "reason:",
            "手机号",
        ),
        (  # written as people write it: full-width digits and dashes
            {"date": dt.date(2022, 3, 1), "reason": "家属电话１３８－１２３４－５６７８"},
            "withdrawn.reason",
            "reason:",
            "手机号",
        ),
        (
            {"date": dt.date(2022, 3, 1), "reason": REASON, "who": "王"},
            "withdrawn.who",
            "who:",
            "不认识这个字段",
        ),
    ],
)
def test_withdrawal_problems_name_path_line_and_field(
    tmp_path: Path, block: Any, field: str, needle: str, message: str
) -> None:
    story = write_raw(
        tmp_path,
        render({"withdrawn": block, "title": "无论如何"}),
        folder=WITHDRAWN_FOLDER,
    )

    result = catalog(tmp_path)

    problem = only_one(list(result.problems))
    assert (problem.path, problem.line, problem.field) == (story.rel, story.line(needle), field)
    assert message in problem.message
    assert result.withdrawn == () and result.stories == ()
    assert result.rejected == (story.rel,)


def test_a_withdrawal_dated_after_today_is_refused(tmp_path: Path) -> None:
    later = tomorrow()
    story = withdrawn_story(tmp_path, {"date": later, "reason": REASON})

    for _ in range(2):  # the second time from the story cache: still judged against today
        result = catalog(tmp_path)
        problem = only_one(list(result.problems))
        assert (problem.path, problem.line, problem.field) == (
            story.rel,
            story.line(f"date: {later}"),
            "withdrawn.date",
        )
        assert "还没有到" in problem.message and "撤稿日期" in problem.message
        assert result.withdrawn == ()


def test_a_dated_result_is_judged_against_the_day_of_validation(tmp_path: Path) -> None:
    later = tomorrow()
    withdrawn_story(tmp_path, {"date": later, "reason": REASON})
    settings = CampaignSettings()

    result = build_catalog(tmp_path, tmp_path / "docs", settings, include_drafts=False, today=later)

    assert result.problems == () and len(result.withdrawn) == 1


def test_a_bad_folder_name_still_matters(tmp_path: Path) -> None:
    story = write_story(tmp_path, {"withdrawn": WITHDRAWN}, folder="2021-04-02-撤回")

    problem = only_one(list(catalog(tmp_path).problems))

    assert (problem.path, problem.field) == (story.rel, "文件夹名")


def test_a_talk_naming_a_withdrawn_story_keeps_its_other_links(tmp_path: Path) -> None:
    write_story(tmp_path)
    withdrawn_story(tmp_path)
    troupekit.write(
        tmp_path,
        {
            "kaifeng.yml": [
                troupekit.talk("a", status="已完成", stories=[DEFAULT_FOLDER, WITHDRAWN_FOLDER])
            ]
        },
    )

    result = catalog(tmp_path)

    assert result.problems == (), problems_text(list(result.problems))
    (talk,) = result.troupe.talks
    assert [s.folder for s in talk.stories] == [DEFAULT_FOLDER]
    assert talk.village is not None and talk.village.name == "张庄村"


# -- corrections ---------------------------------------------------------------------------


def test_corrections_are_kept_oldest_first(tmp_path: Path) -> None:
    story = write_story(
        tmp_path,
        {
            "corrections": [
                {"date": dt.date(2021, 5, 2), "note": "第二次更正。"},
                {
                    "date": dt.date(2021, 3, 20),
                    "note": "原文把村名“小岳湾村”误写为“小月湾村”，已改正。",
                },
            ]
        },
    )

    (published,) = catalog(tmp_path).stories

    assert published.corrections == (
        Correction(
            dt.date(2021, 3, 20),
            "原文把村名“小岳湾村”误写为“小月湾村”，已改正。",
            story.line("- date: 2021-03-20"),
        ),
        Correction(dt.date(2021, 5, 2), "第二次更正。", story.line("- date: 2021-05-02")),
    )


@pytest.mark.parametrize(
    ("item", "field", "needle", "message"),
    [
        ({"note": "改正。"}, "corrections[0].date", "- note: 改正。", "缺少必填字段"),
        (
            {"date": dt.date(2021, 3, 1), "note": "改正。"},
            "corrections[0].date",
            "- date: 2021-03-01",
            "早于稿件的日期 2021-03-12",
        ),
        (
            {"date": dt.date(2021, 3, 20)},
            "corrections[0].note",
            "- date: 2021-03-20",
            "缺少必填字段",
        ),
        (
            {"date": dt.date(2021, 3, 20), "note": "改" * 201},
            "corrections[0].note",
            "note:",
            "最多 200 个字",
        ),
        (
            {"date": dt.date(2021, 3, 20), "note": "a\nb"},
            "corrections[0].note",
            "note:",
            "只能写一行",
        ),
        (
            {"date": dt.date(2021, 3, 20), "note": "<i>改正</i>"},
            "corrections[0].note",
            "note:",
            "不能写 HTML",
        ),
        (  # the note is public: on the story page and in the release's facts
            {"date": dt.date(2021, 3, 20), "note": "联系电话改为 138.1234.5678"},
            "corrections[0].note",
            "note:",
            "手机号",
        ),
        (
            {
                "date": dt.date(2021, 3, 20),
                "note": "联系人身份证 １１０１０５　１９４９１２３１　００２Ｘ",
            },
            "corrections[0].note",
            "note:",
            "身份证",
        ),
        (
            {"date": dt.date(2021, 3, 20), "note": "改正。", "by": "王"},
            "corrections[0].by",
            "by:",
            "不认识这个字段",
        ),
    ],
)
def test_correction_problems_name_path_line_and_field(
    tmp_path: Path, item: dict[str, Any], field: str, needle: str, message: str
) -> None:
    story = write_story(tmp_path, {"corrections": [item]})

    result = catalog(tmp_path)

    problem = only_one(list(result.problems))
    assert (problem.path, problem.line, problem.field) == (story.rel, story.line(needle), field)
    assert message in problem.message
    assert result.stories == ()


def test_a_correction_dated_after_today_rejects_the_story(tmp_path: Path) -> None:
    later = tomorrow()
    story = write_story(tmp_path, {"corrections": [{"date": later, "note": "改正。"}]})

    result = catalog(tmp_path)

    problem = only_one(list(result.problems))
    assert (problem.line, problem.field) == (story.line(f"date: {later}"), "corrections[0].date")
    assert "更正日期" in problem.message
    assert result.stories == () and result.rejected == (story.rel,)
