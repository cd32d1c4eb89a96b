"""Time zones. A call's start is stored as a UTC instant (naive UTC ISO 8601 text, so the
store's windows are string comparisons); a team reads its calls, and counts its days — "the
last 14 days", a session's weeks — in its own zone.

The zone travels with the time: analytics take `as_of` as an aware datetime in the team's
zone and derive every window and every shown time from it (a naive `as_of` is UTC, as in a
notebook that never mentions zones). Elapsed hours ("fresh within 48 h") are counted in UTC,
so a daylight-saving change never makes them 47 or 49.

    >>> tz = zone("America/New_York")
    >>> in_zone(datetime(2026, 11, 3, 19, 30), tz).isoformat()
    '2026-11-03T14:30:00-05:00'
    >>> to_utc(datetime(2026, 11, 3, 14, 30, tzinfo=tz)).isoformat()
    '2026-11-03T19:30:00'
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone, tzinfo
from functools import lru_cache

from callcoach.errors import UsageError

UTC = timezone.utc   # zoneinfo loads only when a zone is named: `callcoach --help` starts fast


@lru_cache(maxsize=None)
def machine_zone() -> tzinfo:
    """This machine's zone (the TZ variable, /etc/localtime, the Windows registry), UTC when
    it cannot be told."""
    try:
        import tzlocal

        return zone(tzlocal.get_localzone_name() or "UTC")
    except Exception:  # noqa: BLE001 - an odd system setting must not stop a report
        return UTC


@lru_cache(maxsize=64)
def zone(name: str | None) -> tzinfo:
    """The zone called `name` (IANA, e.g. 'America/New_York', or 'UTC'); this machine's zone
    when `name` is None or empty. An unknown name is a usage error with a "did you mean"."""
    if not name or not name.strip():
        return machine_zone()
    name = name.strip()
    if name.upper() in ("UTC", "Z", "GMT", "ETC/UTC"):
        return UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        from callcoach.suggest import hint

        raise UsageError(f"unknown time zone {name!r}", key="--tz",
                         hint=hint(name, sorted(available_timezones()), n=3)
                         or "use an IANA name such as America/New_York, Europe/Berlin or UTC"
                         ) from None


def name_of(tz: tzinfo | None) -> str:
    """'America/New_York'; 'UTC' for None (a naive time is UTC)."""
    if tz is None or tz is UTC:
        return "UTC"
    return getattr(tz, "key", None) or str(tz)


def to_utc(t: datetime) -> datetime:
    """An instant as the store keeps it: naive UTC. A naive `t` is UTC already."""
    return t if t.tzinfo is None else t.astimezone(timezone.utc).replace(tzinfo=None)


def in_zone(t: datetime, tz: tzinfo | None) -> datetime:
    """A stored (naive UTC) instant as an aware time in `tz`; unchanged when `tz` is None."""
    if tz is None:
        return t
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.astimezone(tz)


def like(t: datetime, ref: datetime) -> datetime:
    """A stored (naive UTC) instant in the zone of `ref` (naive `ref`: left naive UTC)."""
    return in_zone(t, ref.tzinfo)


def wall(t: datetime, tz: tzinfo | None) -> datetime:
    """A wall-clock time without an offset, read in `tz` (None: UTC, left naive)."""
    if t.tzinfo is not None or tz is None:
        return t
    return t.replace(tzinfo=tz)


def end_of_day(day: date, tz: tzinfo | None) -> datetime:
    """The last second of `day` in `tz`: what a bare date means as `--as-of`."""
    return wall(datetime.combine(day, time.max).replace(microsecond=0), tz)


def local_day(t: datetime, tz: tzinfo | None) -> date:
    """The calendar day a stored (naive UTC) instant falls on in `tz`."""
    return in_zone(t, tz).date()


def now(tz: tzinfo | None) -> datetime:
    """Now, to the second, in `tz` (None: naive UTC)."""
    current = datetime.now(timezone.utc).replace(microsecond=0)
    return current.replace(tzinfo=None) if tz is None else current.astimezone(tz)
