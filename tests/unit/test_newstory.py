"""`make new-story`'s scaffold: the folder is named by the interview date, and an interrupted
scaffold leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from huatuopin import newstory
from huatuopin.newstory import QUESTIONS, StoryAnswers, create_story
from huatuopin.project import Project
from huatuopin.settings import CampaignSettings

VALUES = {
    "title": "张庄的新日子",
    "date": "2021-03-12",
    "city": "开封市",
    "county": "兰考县",
    "village": "张庄村",
    "activity": "入户访",
    "form": "文章",
    "author": "王小红",
    "role": "媒体记者",
}


def project(root: Path) -> Project:
    return Project(root=root, docs_dir=root / "docs", settings=CampaignSettings())


def test_date_question_asks_for_the_interview_date() -> None:
    question = next(q for q in QUESTIONS if q.key == "date")

    assert question.label == "采访日期"
    assert "文件夹名也用这个日期" in question.hint


def test_folder_is_named_by_the_interview_date_not_today(tmp_path: Path) -> None:
    answers = StoryAnswers.from_values({**VALUES, "date": "2021-05-09"}, slug="zhangzhuang")

    index = create_story(project(tmp_path), answers)

    assert index == tmp_path / "docs" / "stories" / "2021-05-09-zhangzhuang" / "index.md"
    assert dt.date.today().isoformat() not in index.parent.name
    assert "\ndate: 2021-05-09\n" in index.read_text("utf-8")


def test_same_date_and_village_gets_a_second_folder(tmp_path: Path) -> None:
    answers = StoryAnswers.from_values(VALUES, slug="zhangzhuang")

    first = create_story(project(tmp_path), answers)
    second = create_story(project(tmp_path), answers)

    assert first.parent.name == "2021-03-12-zhangzhuang"
    assert second.parent.name == "2021-03-12-zhangzhuang-2"
    assert first.read_text("utf-8") == second.read_text("utf-8")


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_interrupted_scaffold_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interruption: type[BaseException]
) -> None:
    def fail(*_: object) -> str:
        raise interruption()

    monkeypatch.setattr(newstory, "render_index", fail)
    answers = StoryAnswers.from_values(VALUES, slug="zhangzhuang")

    with pytest.raises(interruption):
        create_story(project(tmp_path), answers)

    assert list((tmp_path / "docs" / "stories").iterdir()) == []
