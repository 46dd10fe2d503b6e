"""The form's index.md, written by new-story's writer: what was typed comes back as typed,
whatever it holds, and a Problem's field names the input it is shown next to."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from huatuopin.problems import Problem
from huatuopin.settings import CampaignSettings
from huatuopin.sourcefile import read_markdown

from desk import forms

TRICKY = [
    "a: b",
    "x #不是注释",
    "第一行\n---\n第二行",
    "- 列表",
    "!!python/object:os.system",
    '"引号"',
    "{{ 模板 }}",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("text", TRICKY)
def test_whatever_is_typed_is_read_back_as_typed(tmp_path: Path, text: str) -> None:
    form = forms.StoryForm(
        values={"title": text, "date": "2021-03-12", "village": text, "summary": text},
        authors=[{"name": "王小红", "role": "媒体记者", "org": text}, {"name": text, "role": ""}],
        pairs=[{"before": "a.jpg", "after": "b.jpg", "before_year": "2016", "caption": text}],
        consent="yes",
    )
    (tmp_path / "index.md").write_text(forms.render(form, CampaignSettings()), "utf-8")

    data = read_markdown(tmp_path / "index.md", "index.md").front_matter.value

    flat = text.replace("\n", " ") if "\n" in text else text
    assert data["title"] in (text, flat)
    assert data["summary"] in (text, flat)
    assert data["authors"][0]["org"] in (text, flat)
    assert data["authors"][1]["name"] in (text, flat)
    assert data["pairs"][0]["caption"] in (text, flat)
    assert data["pairs"][0]["before_year"] == 2016
    assert data["date"] == dt.date(2021, 3, 12)
    assert data["consent"] is True


def test_the_form_reads_back_what_it_wrote(tmp_path: Path) -> None:
    form = forms.StoryForm(
        values={"title": "东坝头的春天", "date": "2021-03-12", "body": "第一段\n\n第二段"},
        authors=[{"name": "王小红", "role": "媒体记者", "org": "开封日报"}],
        videos=[{"file": "v.mp4", "caption": "合唱"}],
        consent="no",
    )
    (tmp_path / "index.md").write_text(forms.render(form, CampaignSettings()), "utf-8")

    again = forms.read_form(tmp_path)

    assert again.values["title"] == "东坝头的春天"
    assert again.values["body"] == "第一段\n\n第二段"
    assert again.authors == [{"name": "王小红", "role": "媒体记者", "org": "开封日报"}]
    assert again.videos == [{"file": "v.mp4", "caption": "合唱"}]
    assert again.consent == "no"


def test_problems_go_next_to_their_inputs_and_the_rest_to_the_top() -> None:
    form = forms.with_empty_slots(forms.StoryForm(authors=[{"name": "王"}]))
    fields = forms.form_fields(form)
    problems = [
        Problem("i.md", 3, "activity", "a"),
        Problem("i.md", 9, "authors[0].role", "b"),
        Problem("i.md", 20, "正文", "c"),
        Problem("i.md", 1, "文件夹名", "d"),
    ]

    by_field, rest = forms.place_problems(problems, fields)

    assert by_field == {"activity": ["a"], "authors[0].role": ["b"], "body": ["c"]}
    assert [p.field for p in rest] == ["文件夹名"]
