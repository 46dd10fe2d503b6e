"""`make audit` (scripts/audit): Lighthouse and axe-core on the key pages of a served site.

- `pages`: which pages are audited, picked from the built or served site;
- `chrome`: the Chromium both tools drive;
- `lighthouse`, `axe`: running each tool on a URL;
- `targets`: what a page is held to, and reading each tool's result against it;
- `report`: the tables and the summary printed for the maintainer.
"""
