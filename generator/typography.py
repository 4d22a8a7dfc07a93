"""Chinese typography: what a Chinese text must not hold, and how line breaks in folded YAML join.

Chinese puts no space between characters, and none beside full-width punctuation (，。；：“” …). Half-width
brackets belong to Latin text; Chinese text uses full-width ones （ ）. The same rules serve three places:
``casebook validate`` reports what an editor typed, the Chinese page joins the lines of a folded YAML text
without the space YAML puts there, and the tests check every built Chinese page.

Numbers in prose, both languages, follow the rule the editors' guide states (GB/T 15835): up to four digits
ungrouped, five and more grouped in threes (10,115), or in 万/亿 where that is exact. The pages write generated
numbers so; ``casebook validate`` reports a record's text that writes 10115, as an error like the checks above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import Problem
from .load import format_loc

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width punctuation: CJK symbols and punctuation, full-width forms, and the quotation marks Chinese uses.
FULL_WIDTH = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2014\u2026"
CJK = HAN + FULL_WIDTH

_SPACE = re.compile(rf"(?<=[{HAN}]) +(?=[{HAN}])|(?<=[{FULL_WIDTH}]) +(?=\S)|(?<=\S) +(?=[{FULL_WIDTH}])")
_BRACKET = re.compile(rf"(?<=[{CJK}])[()]|[()](?=[{CJK}])")
# Whitespace between two CJK characters where the text was folded (a line break YAML turned into a space).
# (Beside a Latin word or a number a space may be meant: "使用 Python" keeps it.) The gap is taken whole and never
# given back (possessive ``*+``): `[ \t]*\n?[ \t]*` could split a run of n spaces n ways and, where no CJK followed,
# tried every split, n² steps (a text of 200,000 spaces held the build for minutes).
_GAP = r"[ \t]*+(?:\n[ \t]*+)?+"
_FOLD = re.compile(rf"(?<=[{CJK}]){_GAP}(?=[{CJK}])|(?<=[{FULL_WIDTH}]){_GAP}(?=\S)|(?<=\S){_GAP}(?=[{FULL_WIDTH}])")


@dataclass(frozen=True)
class Flaw:
    """One thing wrong with a Chinese text: where (an index into it), what, and how to fix it."""

    index: int
    length: int
    message: str
    hint: str


SPACE_HINT = ("Chinese text takes no space between characters or beside full-width punctuation: delete it, or "
              "write a full-width space (U+3000 '　') where the source separates two phrases or issuers")
BRACKET_HINT = "write full-width brackets （ ） in Chinese text"


_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_SUSPECT = re.compile(r"[ ()A-Za-z]")
WORD_HINT = "say it in Chinese: the record's ids (at-least, person-times …) are not words a Chinese reader knows"


def chinese_flaws(text: str, schema_words: frozenset[str] = frozenset()) -> list[Flaw]:
    """Stray ASCII spaces, half-width brackets and the record format's own ids (``schema_words``: at-least,
    person …) in a Chinese text, in order."""
    if not _SUSPECT.search(text):
        return []   # most Chinese texts: nothing any check looks for, found in one pass
    flaws = [Flaw(m.start(), len(m.group()), f"stray space in Chinese text: {_around(text, m.start(), m.end())!r}",
                  SPACE_HINT) for m in _SPACE.finditer(text)]
    flaws += [Flaw(m.start(), 1, f"half-width bracket in Chinese text: {_around(text, m.start(), m.end())!r}",
                   BRACKET_HINT) for m in _BRACKET.finditer(text)]
    if schema_words:
        flaws += [Flaw(m.start(), len(m.group()), f"record-format word in Chinese text: '{m.group()}'", WORD_HINT)
                  for m in _WORD.finditer(text) if m.group() in schema_words]
    return sorted(flaws, key=lambda f: f.index)


def join_folded(text: str) -> str:
    """A Chinese text with the spaces of its folded line breaks taken out: between two CJK characters a single
    space is what YAML makes of a line break, never what an editor means (validate reports a typed one)."""
    return _FOLD.sub("", text) if " " in text or "\n" in text else text


def _around(text: str, start: int, end: int) -> str:
    return text[max(0, start - 4):end + 4]


def record_problems(doc, texts, schema_words: frozenset[str] = frozenset()) -> list:
    """The flaws of a record's Chinese texts as problems located at the character (``texts``: (loc, Text) pairs,
    ``doc``: the load.Document). A space that only stands for a folded line break is no flaw."""
    problems = []
    raw: list[str] | None = None
    for loc, text in texts:
        flaws = chinese_flaws(text.zh, schema_words)
        if not flaws:
            continue
        if raw is None:
            raw = doc.source.decode("utf-8-sig").splitlines()  # what was parsed, not the file read again
        line, column, typed = _typed(doc, raw, (*loc, "zh"), text.zh)
        for flaw in flaws:
            # found as typed, with the characters either side: else the space is a folded line break, no flaw
            start = max(0, flaw.index - 1) if flaw.hint != WORD_HINT else flaw.index
            stop = flaw.index + flaw.length + (1 if flaw.hint != WORD_HINT else 0)
            found = typed.find(text.zh[start:stop])
            if found < 0:
                continue
            found += flaw.index - start
            before = typed[:found]
            at_line = line + before.count("\n")
            at_column = column + found if "\n" not in before else found - before.rfind("\n")
            problems.append(Problem(doc.shown_path, at_line, at_column, format_loc((*loc, "zh")), flaw.message,
                                    flaw.hint))
    return problems


def _typed(doc, raw: list[str], loc: tuple, value: str) -> tuple[int, int, str]:
    """Where the value at ``loc`` starts, and its text as typed: from there, over as many lines as a folded text
    can take."""
    line, column = doc.position(loc)
    lines = value.count(" ") + value.count("\n") + 1
    return line, column, "\n".join([raw[line - 1][column - 1:], *raw[line:line + lines]])


# A run of five or more digits standing alone: not part of a decimal (3.14159), of a grouped number (10,115), of a
# date, code or phone number written with hyphens or slashes (022-60585000), nor of a word or id (abc12345).
_UNGROUPED = re.compile(r"(?<![\d.,/\-A-Za-z_])\d{5,}(?![\d\-/A-Za-z_]|[.,]\d)")
# Where a long number is no amount and stays as written: inside a quotation (the source's own words), a web
# address, a document number (第12345号, 〔2016〕12345号, No. 12345), a phone, fax or postal code.
_QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|「[^」]*」|『[^』]*』|\"[^\"]*\"|https?://\S+")
_DOCUMENT = re.compile(r"第\s*$|No\.?\s*$", re.IGNORECASE)
_CODE_WORD = re.compile(r"(?:电话|手机|传真|邮编|邮政编码|tel|phone|fax|post\s?code|zip)\W{0,3}$", re.IGNORECASE)
_MOBILE = re.compile(r"1[3-9]\d{9}")
NUMBER_HINT = ("write a number of five or more digits in threes with commas (10,115人次; 10,115 person-times), in "
               "Chinese in 万 or 亿 where that is exact (2.8万名), as the editors' guide says (GB/T 15835); "
               "document and phone numbers and quotations stay as written")


def ungrouped_numbers(text: str) -> list[re.Match[str]]:
    """The numbers of five or more digits a prose text writes without grouping (10115), in order."""
    if not any(c.isdigit() for c in text):
        return []
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    found = []
    for match in _UNGROUPED.finditer(text):
        start, end = match.span()
        if any(a <= start and end <= b for a, b in quoted) or _MOBILE.fullmatch(match.group()):
            continue
        before, after = text[max(0, start - 12):start], text[end:end + 1]
        if _DOCUMENT.search(before) or after == "号" or _CODE_WORD.search(before):
            continue
        found.append(match)
    return found


def number_problems(doc, texts) -> list:
    """Each ungrouped number in a record's texts, both languages, as a problem located at its first digit."""
    problems = []
    raw: list[str] | None = None
    for loc, text in texts:
        for lang in ("zh", "en"):
            value = getattr(text, lang)
            numbers = ungrouped_numbers(value) if value else []
            if not numbers:
                continue
            if raw is None:
                raw = doc.source.decode("utf-8-sig").splitlines()
            line, column, typed = _typed(doc, raw, (*loc, lang), value)
            for match in numbers:
                # the same number's n-th standalone occurrence in the value is its n-th as typed (no line break
                # falls inside a number)
                digits = rf"(?<!\d){match.group()}(?!\d)"
                nth = len(re.findall(digits, value[:match.start()]))
                typed_at = [m.start() for m in re.finditer(digits, typed)]
                found = typed_at[nth] if nth < len(typed_at) else 0
                before = typed[:found]
                at_line = line + before.count("\n")
                at_column = column + found if "\n" not in before else found - before.rfind("\n")
                problems.append(Problem(doc.shown_path, at_line, at_column, format_loc((*loc, lang)),
                                        f"number not grouped: '{match.group()}'", NUMBER_HINT))
    return problems
