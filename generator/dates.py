"""Dates as each language writes them, by CLDR (Babel): 2023年5月17日, 2023年5月, 2023年; 17 May 2023, May 2023, 2023.

Records hold dates as ISO text of a day, a month or a year (schema.DATE_PATTERN); pages never show that form.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel.dates import format_date, format_skeleton

# The English edition writes British English: the day before the month.
DATE_LOCALES = {"zh": "zh_Hans_CN", "en": "en_GB"}


@lru_cache(maxsize=8192)
def date_text(value: str, lang: str) -> str:
    """A record's date, month or year (2023-05-17, 2023-05, 2023) in ``lang``."""
    locale = DATE_LOCALES[lang]
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 3:
        return format_date(date(*parts), "long", locale=locale)
    return format_skeleton("yMMMM" if len(parts) == 2 else "y", date(parts[0], parts[-1] if len(parts) == 2 else 1, 1),
                           locale=locale)
