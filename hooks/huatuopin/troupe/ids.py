"""Identifiers derived from a talk's `id` (never from its position), stable across builds.

Calendars use the GUID as UID; conference apps want a UUID `guid` and a positive integer `id`.
Renaming a talk's `id` gives it new identifiers: subscribers then see a new talk.
"""

from __future__ import annotations

import hashlib
import uuid

# Fixed for good: changing it changes every UID and GUID already in people's calendars.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:huatuopin:troupe")
# Schedule apps written in Java read the integer id into a 32-bit int.
MAX_EVENT_NUMBER = 2**31 - 1


def talk_guid(talk_id: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"talk:{talk_id}")


def member_guid(member_id: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"member:{member_id}")


def venue_guid(venue_key: tuple[str | None, ...]) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "venue:" + "|".join(part or "" for part in venue_key))


def event_number(talk_id: str) -> int:
    """A positive integer from the talk's id: 31 bits of its SHA-256."""
    digest = hashlib.sha256(f"talk:{talk_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % MAX_EVENT_NUMBER + 1


def member_number(member_id: str) -> int:
    digest = hashlib.sha256(f"member:{member_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % MAX_EVENT_NUMBER + 1
