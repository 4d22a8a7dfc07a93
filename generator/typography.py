"""Chinese typography: what a Chinese text must not hold, and how line breaks in folded YAML join.

Chinese puts no space between characters, and none beside full-width punctuation (，。；：“” …). Half-width
brackets belong to Latin text; Chinese text uses full-width ones （ ）. The same rules serve three places:
``casebook validate`` reports what an editor typed, the Chinese page joins the lines of a folded YAML text
without the space YAML puts there, and the tests check every built Chinese page.
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
        line, column = doc.position((*loc, "zh"))
        # the value as typed: from where it starts, over as many lines as a folded text can take
        typed = "\n".join([raw[line - 1][column - 1:], *raw[line:line + text.zh.count(" ") + text.zh.count("\n") + 1]])
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
