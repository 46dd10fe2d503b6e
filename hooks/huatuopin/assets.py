"""The site's stylesheet and scripts, published under names that carry their content's hash.

A page links one stylesheet, `assets/site.<hash>.css`: Material's own stylesheets and ours
(`extra_css` in mkdocs.yml) joined in the order the theme would link them. Five blocking
requests become one, and because the name changes with the content, servers can let phones
keep it for a year without an update ever being hidden behind a cached old copy. Our scripts
(`docs/assets/*.js`) are published the same way, as `assets/<name>.<hash>.js`; their unhashed
copies are not published. Templates ask the `assets` global (`SiteAssets`) for the names.

Everything here is made from the files MkDocs collected (the theme's and docs/assets/), on
every build, so `mkdocs serve` rebuilds the bundle when a stylesheet is edited and the page it
reloads links the new name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import PurePosixPath

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from . import urls

# Material's stylesheets as its base.html links them (the palette only with a palette set);
# matched by pattern because their names carry Material's own hash, which changes on upgrade.
THEME_STYLESHEETS = (
    urls.asset("stylesheets/main.*.min.css"),
    urls.asset("stylesheets/palette.*.min.css"),
)
BUNDLE_STEM = "site"
HASH_LENGTH = 10
# A source map named relative to the file it sat beside would not resolve from the bundle.
_SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/")
_SCRIPT = re.compile(rf"^{re.escape(urls.asset(''))}[^/]+\.js$")


class AssetError(Exception):
    """A stylesheet named in mkdocs.yml or one of the theme's is not there."""


@dataclass(frozen=True)
class SiteAssets:
    """The published names of the stylesheet and of our scripts: the `assets` template global.

    Templates give the page's `base_url`; on Material's 404.html that is the site's path
    (`/` or `/sub/`), elsewhere a relative path (`..`), and both work from here.
    """

    stylesheet_url: str = urls.asset(f"{BUNDLE_STEM}.css")  # site-relative
    scripts: Mapping[str, str] = field(default_factory=dict)  # "pairs.js" → site-relative

    def stylesheet(self, base_url: str) -> str:
        return _from(base_url, self.stylesheet_url)

    def script(self, base_url: str, name: str) -> str:
        """The published URL of our script `name` (as in docs/assets/) from a page."""
        if name not in self.scripts:
            raise AssetError(f"docs/assets/{name} 不存在；模板引用了这个脚本")
        return _from(base_url, self.scripts[name])


def _from(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}/{path}"


def hashed_name(path: str, content: bytes) -> str:
    """`assets/pairs.js` → `assets/pairs.<hash>.js`, the hash of `content`."""
    pure = PurePosixPath(path)
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    return str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}"))


def join_stylesheets(parts: Sequence[bytes]) -> bytes:
    """One stylesheet from several, in order; each ends its last rule before the next."""
    texts = [_SOURCE_MAP.sub("", part.decode("utf-8")).strip() for part in parts]
    return ("\n".join(texts) + "\n").encode("utf-8")


def _theme_stylesheets(files: Files) -> list[File]:
    found = []
    for pattern in THEME_STYLESHEETS:
        matching = sorted(
            (file for file in files if fnmatchcase(file.src_uri, pattern)),
            key=lambda file: file.src_uri,
        )
        if len(matching) != 1:
            raise AssetError(f"Material 的样式表 {pattern} 应恰好有一个，找到 {len(matching)} 个")
        found.append(matching[0])
    return found


def bundle_assets(files: Files, config: MkDocsConfig, stylesheets: Sequence[str]) -> SiteAssets:
    """Replace, in `files`, the theme's stylesheets and `stylesheets` (our own, in order) by
    one hashed bundle, and each of our scripts by its hashed copy. The theme's stylesheets
    stay published as they are (nothing links them; harmless)."""
    ours = []
    for path in stylesheets:
        file = files.get_file_from_path(path)
        if file is None:
            raise AssetError(f"mkdocs.yml 的 extra_css 列出的 {path} 不存在")
        ours.append(file)
    parts = [file.content_bytes for file in [*_theme_stylesheets(files), *ours]]
    bundle = join_stylesheets(parts)
    stylesheet_url = hashed_name(urls.asset(f"{BUNDLE_STEM}.css"), bundle)
    for file in ours:
        files.remove(file)
    files.append(File.generated(config, stylesheet_url, content=bundle))

    scripts = {}
    for file in sorted(files, key=lambda file: file.src_uri):
        if not _SCRIPT.match(file.src_uri) or file.abs_src_path is None:  # ours, not made here
            continue
        content = file.content_bytes
        published = hashed_name(file.src_uri, content)
        scripts[PurePosixPath(file.src_uri).name] = published
        files.remove(file)
        files.append(File.generated(config, published, content=content))
    return SiteAssets(stylesheet_url, scripts)
