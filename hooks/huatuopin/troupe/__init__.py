"""The speaking troupe (宣讲团): roster, schedule, conflict checks, pages and feeds.

Sources are `docs/troupe/members.yml` and `docs/troupe/schedule/*.yml` (the contract is in
DESIGN.md). `loading` reads and validates them into a `Troupe` (models), `conflicts` checks
the valid talks against each other, `pages` makes the generated pages and `feeds` the
calendars and conference-app schedules. Nothing here reads `docs/` after loading.
"""

from __future__ import annotations

from .loading import known_villages, load_troupe
from .models import Member, Talk, Troupe

__all__ = ["Member", "Talk", "Troupe", "known_villages", "load_troupe"]
