"""The story form: what index.md holds, as the fields of the form, and back.

index.md is the only record of a submission's text: the form is filled from it, and a save
writes it again with the new-story writer (`huatuopin.newstory.render_draft`). Form fields
carry the story contract's names (`title`, `authors[0].role`, `pairs[1].caption`), so a
Problem's field names the input it belongs to.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from huatuopin.gazetteer import load_gazetteer
from huatuopin.newstory import BODY_HINT, StoryExtras, render_draft
from huatuopin.problems import Problem
from huatuopin.settings import CampaignSettings
from huatuopin.sourcefile import SourceError, read_markdown
from huatuopin.stories import BODY_FIELD

TEXT_FIELDS = (
    "title",
    "date",
    "activity",
    "city",
    "county",
    "township",
    "village",
    "form",
    "summary",
)
PAIR_TEXT = ("before_year", "after_year", "theme", "caption")
MAX_ITEMS = 20  # of authors, pairs, videos, audios: more than any story needs
BODY = "body"


@dataclass
class StoryForm:
    """The values a form shows; lists end with one empty slot to add another."""

    values: dict[str, str] = field(default_factory=dict)
    authors: list[dict[str, str]] = field(default_factory=list)
    cover: str = ""
    pairs: list[dict[str, str]] = field(default_factory=list)
    videos: list[dict[str, str]] = field(default_factory=list)
    audios: list[dict[str, str]] = field(default_factory=list)
    consent: str = ""  # "yes", "no" or "" (not answered)

    def media_names(self) -> set[str]:
        names = {self.cover}
        for pair in self.pairs:
            names |= {pair.get("before", ""), pair.get("after", "")}
        names |= {item.get("file", "") for item in (*self.videos, *self.audios)}
        return names - {""}

    def has_media(self) -> bool:
        return bool(self.media_names())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _items(value: Any, keys: tuple[str, ...]) -> list[dict[str, str]]:
    if not isinstance(value, list):
        return []
    return [
        {key: _text(item.get(key)) for key in keys}
        for item in value[:MAX_ITEMS]
        if isinstance(item, dict)
    ]


def read_form(story_folder: Path) -> StoryForm:
    """The form as index.md says it is; an unreadable index.md gives an empty form (the check
    reports what is wrong with it)."""
    try:
        source = read_markdown(story_folder / "index.md", "index.md")
    except (SourceError, OSError):
        return StoryForm()
    data = source.front_matter.value if isinstance(source.front_matter.value, dict) else {}
    values = {key: _text(data.get(key)) for key in TEXT_FIELDS}
    body = source.body.strip()
    values[BODY] = "" if body.startswith(BODY_HINT[:8]) else body
    consent = data.get("consent")
    return StoryForm(
        values=values,
        authors=_items(data.get("authors"), ("name", "role", "org")),
        cover=_text(data.get("cover")),
        pairs=_items(data.get("pairs"), ("before", "after", *PAIR_TEXT)),
        videos=_items(data.get("videos"), ("file", "caption")),
        audios=_items(data.get("audios"), ("file", "caption")),
        consent="yes" if consent is True else "no" if consent is False else "",
    )


def _posted_items(
    fields: Mapping[str, str], key: str, keys: tuple[str, ...], saved: list[dict[str, str]]
) -> list[dict[str, str]]:
    """Items as posted, on top of the saved ones; file names only ever come from `saved`."""
    items = []
    for index in range(min(MAX_ITEMS, len(saved) + 1)):
        prefix = f"{key}[{index}]."
        if fields.get(f"{prefix}remove"):
            continue
        item = dict(saved[index]) if index < len(saved) else {}
        for name in keys:
            if f"{prefix}{name}" in fields:
                item[name] = fields[f"{prefix}{name}"].strip()
        items.append(item)
    return items


def merge_posted(saved: StoryForm, fields: Mapping[str, str]) -> StoryForm:
    """The form after a save: posted text over what was saved; media names kept from disk."""
    values = dict(saved.values)
    for key in (*TEXT_FIELDS, BODY):
        if key in fields:
            values[key] = fields[key].strip()
    if values.get("city") != saved.values.get("city"):
        # Without script the county list is the old city's until the page comes back.
        city = load_gazetteer().city(values.get("city", ""))
        if city is None or values.get("county") not in city.counties:
            values["county"] = ""
    consent = fields.get("consent", saved.consent)
    return StoryForm(
        values=values,
        authors=_posted_items(fields, "authors", ("name", "role", "org"), saved.authors),
        cover="" if fields.get("cover.remove") else saved.cover,
        pairs=_posted_items(fields, "pairs", PAIR_TEXT, saved.pairs),
        videos=_posted_items(fields, "videos", ("caption",), saved.videos),
        audios=_posted_items(fields, "audios", ("caption",), saved.audios),
        consent=consent if consent in ("yes", "no") else "",
    )


def _filled(item: Mapping[str, str]) -> bool:
    return any(value.strip() for value in item.values())


def render(form: StoryForm, settings: CampaignSettings) -> str:
    """index.md for the form, by the new-story writer; empty slots are left out."""
    authors = [a for a in form.authors if _filled(a)] or [{}]
    first = authors[0]
    values = {
        **form.values,
        "author": first.get("name", ""),
        "role": first.get("role", ""),
        "org": first.get("org", ""),
    }
    extras = StoryExtras(
        summary=form.values.get("summary", ""),
        more_authors=tuple(authors[1:]),
        cover=form.cover,
        pairs=tuple(p for p in form.pairs if _filled(p)),
        videos=tuple(v for v in form.videos if _filled(v)),
        audios=tuple(a for a in form.audios if _filled(a)),
        consent={"yes": True, "no": False}.get(form.consent),
        body=form.values.get(BODY, ""),
    )
    return render_draft(values, extras, settings)


def with_empty_slots(form: StoryForm) -> StoryForm:
    """The form to show: each list with an empty slot at the end to add one more."""

    def slot(items: list[dict[str, str]]) -> list[dict[str, str]]:
        kept = [item for item in items if _filled(item)]
        return [*kept, {}] if len(kept) < MAX_ITEMS else kept

    return StoryForm(
        values=form.values,
        authors=slot(form.authors),
        cover=form.cover,
        pairs=slot(form.pairs),
        videos=slot(form.videos),
        audios=slot(form.audios),
        consent=form.consent,
    )


# Problem fields that name no input of their own, and the input they belong next to.
FIELD_OF = {BODY_FIELD: BODY, "consent": "consent"}
_INDEX = re.compile(r"^(authors|pairs|videos|audios)\[(\d+)\](?:\.(\w+))?$")


def input_of(problem_field: str, form_fields: set[str]) -> str | None:
    """The form field a Problem belongs next to, or None (shown at the top)."""
    if problem_field in FIELD_OF:
        return FIELD_OF[problem_field]
    if problem_field in form_fields:
        return problem_field
    match = _INDEX.match(problem_field)
    if match:
        first = f"{match.group(1)}[{match.group(2)}]."
        for name in sorted(form_fields):
            if name.startswith(first):
                return name
    return None


def place_problems(
    problems: list[Problem], form_fields: set[str]
) -> tuple[dict[str, list[str]], list[Problem]]:
    """Messages by form field, and the problems that belong to none (shown at the top)."""
    by_field: dict[str, list[str]] = {}
    rest: list[Problem] = []
    for problem in problems:
        name = input_of(problem.field, form_fields)
        if name is None:
            rest.append(problem)
        else:
            by_field.setdefault(name, []).append(problem.message)
    return by_field, rest


def form_fields(form: StoryForm) -> set[str]:
    names = {*TEXT_FIELDS, BODY, "consent", "cover", "authors"}
    for key, items, keys in (
        ("authors", form.authors, ("name", "role", "org")),
        ("pairs", form.pairs, ("before", "after", *PAIR_TEXT)),
        ("videos", form.videos, ("file", "caption")),
        ("audios", form.audios, ("file", "caption")),
    ):
        for index in range(len(items)):
            names |= {f"{key}[{index}].{name}" for name in keys}
    return names
