"""The notice views of withdrawn stories and the serve-only /changes/ record, from a Catalog."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from huatuopin import urls
from huatuopin.models import Redirect
from huatuopin.views.changes import ChangesView, change_log, changes_views
from huatuopin.views.withdrawn import WITHDRAWN_TITLE, WithdrawnView, withdrawn_views
from storykit import DEFAULT_FOLDER, catalog, write_story

OLD = "2021-03-01-old"
SECOND_OLD = "2021-03-02-older"


def written(root: Path) -> None:
    write_story(
        root,
        {
            "corrections": [
                {"date": dt.date(2021, 4, 1), "note": "较早的更正。"},
                {"date": dt.date(2021, 6, 1), "note": "较晚的更正。"},
            ]
        },
    )
    for folder, day in (("2021-04-01-a", "2022-01-10"), ("2021-04-02-b", "2022-03-15")):
        write_story(root, {"withdrawn": {"date": day, "reason": f"原因{folder}"}}, folder=folder)


def test_a_notice_and_a_marker_per_withdrawal(tmp_path: Path) -> None:
    written(tmp_path)

    views, files = withdrawn_views(catalog(tmp_path))

    assert [(v.url, v.title, v.search) for v in views] == [
        ("stories/2021-04-01-a/", WITHDRAWN_TITLE, None),
        ("stories/2021-04-02-b/", WITHDRAWN_TITLE, None),
    ]
    assert all(isinstance(v, WithdrawnView) and v.generated for v in views)
    assert views[0].src_uri == f"stories/2021-04-01-a/{urls.INDEX}"  # in place of its index.md
    assert views[1].context()["notice"].date.text == "2022年3月15日"
    assert files == [
        ("stories/2021-04-01-a/.withdrawn", b""),
        ("stories/2021-04-02-b/.withdrawn", b""),
    ]


def test_the_record_lists_withdrawals_moves_and_corrections_newest_first(tmp_path: Path) -> None:
    written(tmp_path)
    moves = (
        Redirect(f"stories/{OLD}/", f"stories/{DEFAULT_FOLDER}/", "redirects.yml", 3),
        Redirect(f"stories/{SECOND_OLD}/", f"stories/{DEFAULT_FOLDER}/", "redirects.yml", 5),
    )
    found = dataclasses.replace(catalog(tmp_path), redirects=moves)

    log = change_log(found)

    assert [(w.url, w.date.iso, w.reason, w.source) for w in log.withdrawals] == [
        (
            "stories/2021-04-02-b/",
            "2022-03-15",
            "原因2021-04-02-b",
            "docs/stories/2021-04-02-b/index.md:18",
        ),
        (
            "stories/2021-04-01-a/",
            "2022-01-10",
            "原因2021-04-01-a",
            "docs/stories/2021-04-01-a/index.md:18",
        ),
    ]
    assert [(m.old_url, m.new_url, m.source) for m in log.moves] == [
        (f"stories/{OLD}/", f"stories/{DEFAULT_FOLDER}/", "redirects.yml:3"),
        (f"stories/{SECOND_OLD}/", f"stories/{DEFAULT_FOLDER}/", "redirects.yml:5"),
    ]
    assert [(c.story_url, c.date.iso, c.note) for c in log.corrections] == [
        (f"stories/{DEFAULT_FOLDER}/", "2021-06-01", "较晚的更正。"),
        (f"stories/{DEFAULT_FOLDER}/", "2021-04-01", "较早的更正。"),
    ]
    assert log.corrections[0].story_title == "从土坯房到小楼房"


def test_the_record_is_a_preview_page_only(tmp_path: Path) -> None:
    written(tmp_path)
    found = catalog(tmp_path)

    assert changes_views(found, serving=False) == []
    (view,) = changes_views(found, serving=True)
    assert isinstance(view, ChangesView)
    assert (view.url, view.search) == (urls.CHANGES, None)
