"""The time a build stamps on its outputs: SOURCE_DATE_EPOCH when set, so that
builds are reproducible (reproducible-builds.org), else the real time."""

from __future__ import annotations

import datetime as dt
import os


def source_date_epoch() -> dt.datetime | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC) if value.isdigit() else None


def today() -> dt.date:
    fixed = source_date_epoch()
    return fixed.date() if fixed else dt.date.today()
