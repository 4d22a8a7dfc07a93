"""Every regular expression that editor text reaches takes time in proportion to the text: none goes quadratic.

Issue 21 found two that did: `typography.join_folded` on "汉" + 200,000 spaces + "x" held the build for minutes,
and `compact.compact` on "a" + 300,000 spaces made the English build take 82 s. Each function below is fed 100 KB
and 1 MB of whitespace, of one repeated character and of alternating patterns. Ten times the text must take less
than 25 times as long (linear is about 10, quadratic about 100): a ratio, not a time, so a slow or busy machine does
not fail it, and each size is timed as the fastest of a few runs. Each function runs in a child process under a
timeout, so a quadratic one fails the test instead of hanging it.

Each time is the processor time the call took (time.thread_time), not the time on the clock: on a busy machine a
call longer than the scheduler's time slice waits for other processes, and on the clock 1 MB then looked 30 to 40
times slower than 100 KB even for a plain scan of every character.
"""

from __future__ import annotations

import gc
import multiprocessing
import queue
import time
from collections.abc import Callable
from functools import cache, partial

import pytest

from generator import compact, csp, filters, finder, html_body, search, typography
from generator.locators import SEPARATOR, _closest_hint, normalised_path
from generator.vocabulary import Vocabulary, load_vocabulary
from tests.conftest import VOCABULARY

pytestmark = pytest.mark.slow  # texts grown tenfold and timed: tens of seconds

SMALL, LARGE = 100_000, 1_000_000
RUNS = 3  # the fastest of three: a busy machine slows some runs, never speeds one up
MAX_RATIO = 25
TIMEOUT = 120  # seconds for all runs of one function on one input; a quadratic pattern at 1 MB takes hours

# Repeated units: whitespace, one character, and alternations each pattern looks for (a CJK character or
# full-width mark beside a space, a line break, a list number, a hyphenated word, a term's words, a script tag).
UNITS = {
    "spaces": " ",
    "line breaks": "\n",
    "tabs and line breaks": " \t\r\n",
    "ideographic spaces": "\u3000",
    "one letter": "a",
    "one Han character": "汉",
    "one digit": "1",
    "Han and space": "汉 ",
    "full-width comma and space": "， ",
    "letter and line break": "a\n",
    "space, line break, space": " \n ",
    "list numbers": "1.",
    "hyphenated words": "a-",
    "a term's words": "paired ",
    "brackets": "(汉",
    "sentence ends": "a.",
    "script tags": "<script>",
    "heading tags": '<h2 id="x">',
}


def text_of(unit: str, size: int) -> str:
    """``unit`` repeated to ``size`` characters between a Han character and a letter, as the attacks wrote it."""
    return "汉" + unit * (size // len(unit)) + "x"


@cache
def _vocabulary() -> Vocabulary:
    return load_vocabulary(VOCABULARY)


def variant_renderings(text: str) -> object:
    """The terminology matcher, on an English text and on a Chinese one that holds a term."""
    vocabulary = _vocabulary()
    vocabulary.variant_renderings("对口支援" + text, text)
    return vocabulary.terms_in_chinese.search(text)


def page(text: str) -> str:
    return ('<html><head><meta charset="utf-8"></head><body><article class="md-content__inner md-typeset">'
            + text + "</article></body></html>")


FUNCTIONS: dict[str, Callable[[str], object]] = {
    "typography.join_folded": typography.join_folded,
    "typography.chinese_flaws": partial(typography.chinese_flaws, schema_words=frozenset({"at-least", "person"})),
    "compact.compact": compact.compact,
    "terminology matcher": variant_renderings,
    "filters.escape_inline (list numbers, line starts)": filters.escape_inline,
    "filters.paragraphs": filters.paragraphs,
    "filters.bibtex": filters.bibtex,
    "finder.first_sentence": finder.first_sentence,
    "csp script pattern": lambda text: csp.foreign_scripts(page(text), frozenset()) + csp.inline_script_hashes(text),
    "search words (Han runs)": search._HAN_RUN.findall,
    "html_body.stand_in": html_body.stand_in,
}


def scrambled(text: str) -> str:
    """``text`` as as many Han characters, of three thousand kinds: few repeats, so difflib discards none as junk."""
    return "".join(chr(0x4E00 + (i * 7919 + ord(c)) % 3000) for i, c in enumerate(text))


def closest_heading_hint(text: str) -> str:
    """A locator naming no heading (a tenth of the text) against an outline of thirty nested headings (the text):
    the hint compares it with every heading path, each as long as the headings above it."""
    wide = scrambled(text)
    step = max(1, len(wide) // 30)
    headings = [wide[start:start + step] for start in range(0, len(wide), step)][:30]
    paths = [SEPARATOR.join(headings[:depth + 1]) for depth in range(len(headings))]
    return _closest_hint(wide[:len(wide) // 10], {normalised_path(path): path for path in paths})


# Not fed every unit: the text is scrambled whatever it was, and one run at 1 MB takes two seconds.
OUTLINE_FUNCTIONS: dict[str, Callable[[str], object]] = {"locators' closest-heading hint": closest_heading_hint}


def _fastest(function: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(RUNS):
        started = time.thread_time()
        function(text)
        best = min(best, time.thread_time() - started)
    return best


def _measure(name: str, unit: str, results: multiprocessing.Queue) -> None:
    function = {**FUNCTIONS, **OUTLINE_FUNCTIONS}[name]
    function(text_of(unit, 1000))  # compiled patterns and loaded vocabulary before timing
    gc.disable()  # a collection triggered by the larger text's objects is no part of the pattern's time
    results.put((_fastest(function, text_of(unit, SMALL)), _fastest(function, text_of(unit, LARGE))))


def timings(name: str, unit: str) -> tuple[float, float]:
    """The fastest time of ``FUNCTIONS[name]`` (or ``OUTLINE_FUNCTIONS[name]``) on 100 KB and on 1 MB of ``unit``,
    in a child process that is ended after TIMEOUT seconds."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=_measure, args=(name, unit, results), daemon=True)
    child.start()
    try:
        return results.get(timeout=TIMEOUT)
    except queue.Empty:
        pytest.fail(f"{name} took more than {TIMEOUT} s on 100 KB and 1 MB of {unit!r}: quadratic or worse")
    finally:
        child.kill()
        child.join()


@pytest.mark.parametrize("name", FUNCTIONS)
def test_ten_times_the_text_takes_about_ten_times_as_long(name: str) -> None:
    slow = {}
    for kind, unit in UNITS.items():
        small, large = timings(name, unit)
        # Below a millisecond a ratio measures the clock, not the pattern: such a call is linear enough.
        if large > 0.001 and large / max(small, 1e-6) >= MAX_RATIO:
            slow[kind] = f"{small * 1000:.1f} ms → {large * 1000:.1f} ms"
    assert not slow, f"{name} grows faster than the text: {slow}"



def test_the_closest_heading_hint_takes_time_in_proportion_to_the_outline() -> None:
    """A 690 KB record of thirty nested headings of 7,000 characters and twenty locators naming none held `casebook
    validate` for more than three minutes: the hint compared each locator whole with each heading path whole."""
    name = "locators' closest-heading hint"
    small, large = timings(name, "a-")
    assert large / max(small, 1e-6) < MAX_RATIO, f"{name}: {small * 1000:.1f} ms → {large * 1000:.1f} ms"
