"""The one time zone Régul works in, and the conversions to and from storage (UTC)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def now() -> datetime:
    """Current instant, in Paris time."""
    return datetime.now(PARIS)


def to_paris(moment: datetime) -> datetime:
    """Express an aware instant in Paris time; naive values are refused as ambiguous."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()} : a time zone is required")
    return moment.astimezone(PARIS)


def to_utc(moment: datetime) -> datetime:
    """Express an aware instant in UTC (how instants are stored)."""
    return to_paris(moment).astimezone(UTC)
