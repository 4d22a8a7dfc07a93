"""Numbers, percentages, amounts and plurals by each language's CLDR rules (Babel).

Each language's patterns are parsed once (:func:`numbers_for`); a figure is then formatted by applying the
parsed pattern, which is what Babel's ``format_decimal`` does after parsing the pattern again on every call.

Chinese digits follow GB/T 15835-2011: a number of up to four integer digits is not grouped (4224人), one of five
or more is grouped in threes with the comma (10,115人次); from 万 on an amount is written in 万 or 亿 wherever that is
still the exact figure (1.5万平方米, 1.7亿元). The editors' guide states the rule for the records' own text.

An amount is a figure with its unit. A unit may count in 万 or 亿 (``scale`` in the vocabulary): English shows
the amount converted into the reader's terms ("CNY 170 million" for 17,000 万元), Chinese as Chinese writing
does (1.7亿元, 20万平方米). Either way the figure as the source gave it travels with the amount, for the page's
hover text, and the data files keep it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.numbers import NumberPattern
from babel.units import format_unit

LOCALES = {"zh": "zh_Hans_CN", "en": "en"}
# How many decimals a shortened amount may carry and still be the exact figure: "1.901 million", "1.7亿".
EXACT_DIGITS = {"zh": 2, "en": 3}
# Chinese writes a count in 万 from 万 on where that is exact (1.5万平方米); English shortens from a million.
SHORTEN_FROM = {"zh": 10_000, "en": 1_000_000}
# GB/T 15835-2011: Chinese groups the digits of a number only from five integer digits on (4224, 10,115).
ZH_GROUP_FROM = 10_000


@dataclass(frozen=True)
class Amount:
    """An amount as a page shows it, and the figure as the source gave it when the two differ.

    ``number`` and ``label`` are its two parts (the label may be empty, as for a percentage), which a page keeps
    each on one line; ``before`` when the label comes first (CNY 1.901 million)."""

    text: str
    source: str | None = None
    number: str = ""
    label: str = ""
    before: bool = False


def _decimal(value: int | float | Decimal) -> Decimal:
    # str() first: Decimal(0.1) would carry the float's binary error into the page
    if isinstance(value, float) and value.is_integer():
        value = int(value)   # 78.0 is written 78, as the source's 78 is
    return value if isinstance(value, Decimal) else Decimal(str(value))


class LocaleNumbers:
    """One language's CLDR number patterns and plural rule, parsed once."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.locale = Locale.parse(LOCALES[lang])
        self.decimal_pattern: NumberPattern = self.locale.decimal_formats[None]
        self.percent_pattern: NumberPattern = self.locale.percent_formats[None]
        # Where the locale's CLDR pattern groups by threes with "," and marks decimals with "." (both our languages
        # do), Python's own "," format writes the same digits in a tenth of the time: a build formats every figure
        # several times. Another locale falls back to applying the pattern.
        symbols = self.locale.number_symbols.get("latn", self.locale.number_symbols)
        self.python_grouping = (self.decimal_pattern.grouping == (3, 3) and symbols["group"] == ","
                                and symbols["decimal"] == ".")
        # magnitude → pattern of the long compact form ("0 million", "0亿"), for the plural category "other"
        self.compact = {int(magnitude): pattern
                        for magnitude, pattern in self.locale.compact_decimal_formats["long"]["other"].items()}

    def plural(self, n: int | float | Decimal) -> str:
        """The CLDR plural category of ``n``: one or other in English, always other in Chinese."""
        return self.locale.plural_form(n)

    def number(self, value: int | float | Decimal) -> str:
        """A number with the locale's grouping and decimal sign, every decimal the source gave kept."""
        number = _decimal(value)
        if self.lang == "zh" and abs(number) < ZH_GROUP_FROM:
            return str(int(number)) if number == number.to_integral_value() else f"{number.normalize():f}"
        if self.python_grouping:
            return f"{int(number):,}" if number == number.to_integral_value() else f"{number.normalize():,f}"
        return self.decimal_pattern.apply(_decimal(value), self.locale, decimal_quantization=False)

    def percent(self, value: int | float | Decimal) -> str:
        """A percentage given as its number (73.2 → "73.2%"), by the locale's percent pattern."""
        return self.percent_pattern.apply(_decimal(value) / 100, self.locale, decimal_quantization=False)

    def file_size(self, size: int) -> str:
        """A file's size in kB or MB (decimal, as CLDR's units are), one decimal, as the locale writes it: "12.3 kB"."""
        unit, value = ("digital-megabyte", size / 1_000_000) if size >= 1_000_000 else ("digital-kilobyte", size / 1000)
        return format_unit(max(value, 0.1), unit, length="short", format="#,##0.#", locale=self.locale)

    def shortened(self, n: Decimal) -> str | None:
        """``n`` in the locale's long compact form (170 million, 1.7亿) when that is still the exact figure."""
        magnitude = max((m for m in self.compact if m <= n), default=None)
        if magnitude is None:
            return None
        pattern = self.compact[magnitude]
        zeros = str(pattern.pattern).count("0")
        if zeros == 1 and magnitude < 10_000 and pattern.pattern == "0":
            return None   # Chinese has no word for thousands: its "compact" 1000 is the number itself
        divisor = Decimal(magnitude) / Decimal(10) ** (zeros - 1)
        short = (n / divisor).normalize()
        if -short.as_tuple().exponent > EXACT_DIGITS[self.lang]:
            return None
        return pattern.apply(short, self.locale, decimal_quantization=False)


@cache
def numbers_for(lang: str) -> LocaleNumbers:
    return LocaleNumbers(lang)


@lru_cache(maxsize=65536)
def amount(value: int | float, unit, lang: str, noun: tuple[str, str] | None = None) -> Amount:
    """``value`` counted in ``unit`` (a vocabulary.Unit) as a reader of ``lang`` writes it, with the source's figure
    when the page shows it otherwise (in another scale or shortened). ``noun``: English words (one, other) that
    name what is counted more exactly than the unit does (award, awards for a unit of items)."""
    nums = numbers_for(lang)
    if unit.percent:
        text = nums.percent(value)
        return Amount(text, number=text)
    exact = _decimal(value) * unit.scale
    base = unit.base or unit
    zh = numbers_for("zh")
    as_given = f"{zh.number(value)}{unit.zh}"
    if lang == "zh":
        short = nums.shortened(exact) if unit.scale > 1 or exact >= SHORTEN_FROM["zh"] else None
        number, label = (short, base.zh) if short else (zh.number(value), unit.zh)
        text = f"{number}{label}"
        return Amount(text, as_given if text != as_given else None, number, label)
    short = nums.shortened(exact) if exact >= SHORTEN_FROM["en"] else None
    if noun:
        label = noun[0] if nums.plural(exact) == "one" else noun[1]
    else:
        label = unit.one if unit.one and nums.plural(exact) == "one" else (base.en if unit.scale > 1 else unit.en)
    number = short or nums.number(exact)
    text = f"{label} {number}" if unit.before else f"{number} {label}"
    return Amount(text, as_given if unit.scale > 1 or short else None, number, label, bool(unit.before))
