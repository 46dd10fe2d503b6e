"""The speaking troupe (宣讲团): roster, schedule, conflict checks, pages and feeds.

Sources are `docs/troupe/members.yml` and `docs/troupe/schedule/*.yml` (the contract is in
DESIGN.md). By stage: `loading` reads and validates them (`conflicts` checks the valid talks
against each other), `resolve` links each talk to its members, village and stories, `models`
holds the records, and `feeds` writes the calendars and conference-app schedules (the pages
are views: views/troupe.py; member photos are media: media/pipeline.py). Nothing here reads
`docs/` after loading.

This file imports nothing on purpose: importing the records must not pull in a later stage.
"""
