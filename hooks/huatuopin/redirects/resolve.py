"""Redirects resolved: each one kept only when its new address is a story the site publishes,
or one taken down.

A redirect to anything else would send a reader from a link that worked to a page that does
not: a folder that is not there, a story whose problems keep it off the site, a draft (a build
publishes none; `make check` and `make serve` say so too, as the build would). Each is a
problem at the redirect's line, and the redirect is not published. A story taken down after it
moved keeps its redirects: its old links, on WeChat and posters, lead to the notice at its new
address (410) as its new links do, and `make takedown` needs no edit of redirects.yml.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from .. import urls
from ..models import Redirect, Story, Withdrawal
from ..problems import Problem
from .loading import FIELD


@dataclass(frozen=True)
class ResolvedRedirects:
    redirects: tuple[Redirect, ...] = ()
    problems: tuple[Problem, ...] = ()


def resolve_redirects(
    redirects: Sequence[Redirect],
    stories: Sequence[Story],
    *,
    story_sources: Mapping[str, str],
    skipped_drafts: Collection[str],
    withdrawn: Collection[Withdrawal],
) -> ResolvedRedirects:
    """`stories` are the Catalog's; `story_sources` every story folder found → its index.md;
    `skipped_drafts` the drafts a build left out, by source path."""
    published = {urls.story(story.folder) for story in stories if not story.draft}
    drafts = {story.source_path for story in stories if story.draft} | set(skipped_drafts)
    taken_down = {withdrawal.url for withdrawal in withdrawn}
    sources = {urls.story(folder): path for folder, path in story_sources.items()}
    kept: list[Redirect] = []
    problems: list[Problem] = []
    for redirect in redirects:
        source = sources.get(redirect.new)
        if redirect.new in published or redirect.new in taken_down:
            kept.append(redirect)
            continue
        elif source is None:
            why = f"没有 docs/{redirect.new} 这个稿件文件夹；请核对新地址，写稿件现在的文件夹名"
        elif source in drafts:
            why = "这篇稿件是草稿（draft: true），不会发布；等它正式发布（删去 draft）再加这一行"
        else:
            why = f"这篇稿件有问题，没有发布；请先按 {source} 的问题改好"
        problems.append(
            Problem(
                redirect.source_path,
                redirect.line,
                FIELD,
                f"新地址 {redirect.new} 不是已发布的稿件：{why}",
                involves=(source,) if source is not None else (),
            )
        )
    return ResolvedRedirects(tuple(kept), tuple(problems))
