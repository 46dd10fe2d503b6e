"""Moved stories (`redirects.yml`): an old story URL that leads to the story's new one.

By stage: `loading` reads and validates the file on its own (each side a story address, no
folder that still holds a story, no duplicates, no loops; chains flattened), `resolve` keeps
the redirects whose new address is a published story. The static pages at the old URLs and
nginx's map are generated from the Catalog (views/redirects.py).

This file imports nothing on purpose: importing the records must not pull in a later stage.
"""
