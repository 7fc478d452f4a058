"""Date words and forms shared by the date resolver (load/dates.py), the importer and `counterpoint new`."""

from __future__ import annotations

import re

# An ISO date, month, year or date-time: 2024-11-07, 2024-11-07T14:30+03:00, 2024-11, 2024.
ISO = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?",
    re.ASCII | re.IGNORECASE,
)
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

