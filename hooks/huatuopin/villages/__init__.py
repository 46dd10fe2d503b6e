"""Villages, by stage: `records` (a profile, a village and its page), `slugs` (the last part of a
village's URL), `profiles` (reading and validating `docs/villages/`), `resolve` (every story's
village, checked against the profiles and the other stories).

This file imports nothing on purpose: importing the records must not pull in a later stage.
"""
