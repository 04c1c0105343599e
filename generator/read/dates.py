"""Dates as the Daily Papers page prints them: ``Feb 9``, ``Feb 9, 2024``, ``Feb 9 3``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from generator.model import PaperDate

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

# Anything shaped like "Word 12[, 2024][ token]": strict parsing happens afterwards so a
# typo ("Foo 3", "Feb 30", "Feb 9 x") is reported instead of being read as a title.
DATE_SHAPE = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2})(?:, ?(\d{4}))?(?: (\S+))?$")


class DateError(ValueError):
    """A date-shaped line that is not a real date; the message says what is wrong."""


@dataclass(frozen=True)
class DateLine:
    """A parsed date line: the date as printed and the upvote count, if any."""

    date: PaperDate
    upvotes: int | None


def looks_like_date(line: str) -> bool:
    """True when the line has the shape of a date line, valid or not."""
    return DATE_SHAPE.match(line) is not None


def parse_date_line(line: str) -> DateLine:
    """Parse ``Mon D[, YYYY][ upvotes]``; raise DateError saying what is wrong."""
    match = DATE_SHAPE.match(line)
    if match is None:
        raise DateError(f"'{line}' is not a date like 'Feb 9', 'Feb 9, 2024' or 'Feb 9 3'")
    month_name, day_text, year_text, upvotes_text = match.groups()
    month = MONTHS.get(month_name.lower())
    if month is None:
        raise DateError(f"'{month_name}' is not a month name")
    upvotes = None
    if upvotes_text is not None:
        if not upvotes_text.isdigit():
            raise DateError(f"upvote count '{upvotes_text}' is not a number")
        upvotes = int(upvotes_text)
    year = int(year_text) if year_text else None
    day = int(day_text)
    # Feb 29 is checked against a leap year when the year is not printed.
    check_year = year if year is not None else 2024
    try:
        dt.date(check_year, month, day)
    except ValueError:
        raise DateError(f"{month_name} {day} is not a day of the calendar") from None
    return DateLine(PaperDate(month, day, year), upvotes)


def infer_capture_year(explicit_years: list[int]) -> int | None:
    """The capture year implied by printed years: the page prints only earlier years."""
    return max(explicit_years) + 1 if explicit_years else None
