"""The search index: Pagefind over each language's built site (`casebook build`, and under `casebook serve`).

Pagefind reads the built HTML and writes a static index cut into small chunks: the browser fetches only the
chunks a query needs. The binary comes from the ``pagefind[extended]`` wheel; the extended build is the one that
segments Chinese into words, so a word inside a sentence is found.

Bundles. Each language's site gets its own bundles under its root (``site/pagefind/``, ``site/en/pagefind/``),
so the English site is complete without the Chinese one, as under ``casebook serve --lang en``:

- ``pagefind/``: the site's own pages (:data:`SITE_PAGES`); its ``pagefind.js`` is the one a page loads;
- ``pagefind/cases-1/``, ``cases-2/`` …: the case pages, at most :data:`CASES_PER_BUNDLE` in each. Pagefind holds a
  whole run's index in memory (4.2 GiB for 5,000 Chinese pages, 0.9 GiB for 1,000: bench/README.md), so
  bounded runs bound the build's memory, in about the same time;
- ``pagefind/casebook-search.json`` (:data:`MANIFEST`): the case bundles, and for Chinese the words below.

The search dialog (site_overrides/assets/search.js) loads ``pagefind.js`` when a reader opens it and merges the
case bundles with Pagefind's documented ``mergeIndex`` (docs: "Searching multiple sites"), so the results of all
bundles come back as one ranked list.

Chinese queries. Pagefind cuts a query in the browser with ``Intl.Segmenter``, which often cuts unlike the
segmenter that built the index (jieba): ``临江`` becomes ``临 江``, and no page has a word starting ``江``
(Pagefind/pagefind#1237). Two things keep such queries working. Pagefind's documented ``mergeIndex`` option
``language`` ("Merging a specific language index"): the case bundles are merged under the undetermined language
``und``, so Pagefind falls back to each bundle's one (Chinese) index, as that page of its documentation says, and
searches the query's words as given: it segments only zh, ja and th. And the dialog cuts the query itself
(site_overrides/assets/search-words.js) into the words this module lists (:func:`known_words`): the names and
terms the generator already wrote into the finder's data (``cases/finder.json``: titles, reporters, partners,
places, themes and types of assistance), cut by jieba as Pagefind's extended build cuts them, with
``Intl.Segmenter`` for what no listed word covers. Pagefind always makes its first bundle (the one whose
``pagefind.js`` is loaded) speak the page's ``<html lang>``; that is why it holds only the site's own few pages
(found by their titles), searched with Pagefind's own cut. No private Pagefind
format or method is used (a run is checked by the summary Pagefind's command line prints, not by the files of its
bundle: :func:`check_run`); tests/test_browser.py checks that names are found, and ``bench/search_recall.py``
measures it (at 1,000 cases, 399 of 400 names and terms find every page that has them; 354 with Pagefind's own
cut).

What is indexed: each page's ``<article>`` (:data:`ROOT`: not the header, navigation or footer), less
what :data:`EXCLUDE` names (the breadcrumbs, the case pages' citation); the catalogue by its title only, the data
page less its columns' meanings (their templates mark the rest data-pagefind-ignore), About whole (a reader asking
for the contact or the licence finds it); not the home page (it only leads to the cases), the browse, compare and
map pages (they list what the case pages say), the editors' guide (:data:`SITE_PAGES`), nor the 404 page
(site_overrides/404.html). How much a case page's parts count is set in its templates with Pagefind's documented
``data-pagefind-weight``: the lead 8 (besides Pagefind's own weights for headings), the source's facts and the
editor's notes 0.5, so that a name leads to what was done, not to a note about how the source words it. A partner's
place aliases are indexed (``data-pagefind-index-attrs``: Hotan finds 和田) and listed in the page's metadata
(``aliases``), which the dialog uses to keep them out of the excerpts it shows.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import re
import subprocess
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from .errors import CasebookError, DiskFull, disk_full, no_space_message
from .write import replace_file

BUNDLE = "pagefind"  # the bundles' directory inside each language's site
ROOT = "article.md-content__inner"  # Material's <article>: the page's title and text
# Left out of the index: the headings' permalink signs (¶), the breadcrumbs (the site's navigation, on every page:
# "首页" would find them all), and a case page's citation, which repeats its title
# and reporter in both languages (English words on the Chinese page). Pagefind's selectors have no sibling
# combinators, so the short translation-status section stays in. Tables' header rows too: the same column names on
# every page ("Name Type Region …") filled the excerpts.
EXCLUDE = (".headerlink", ".cb-breadcrumbs", "#citation", ".cb-citation-label", ".cb-citation", "thead")
# The site's own pages, from each language's site root: the catalogue (and its further list pages), the data page
# and About. Not the editors' guide: it is for editors, and its field descriptions would answer readers' queries.
# Pagefind cuts a Chinese query for this bundle with the browser's segmenter, so 和田 matches About's 和 and 田
# apart: the dialog keeps only pages that hold each Chinese run of the query whole (search.js).
SITE_PAGES = "{cases/index.html,cases/page/**/index.html,data/index.html,about/index.html}"
CASES = "cases"  # case pages are cases/<id>/index.html
LIST_PAGES = "page"  # … but for the catalogue's further list pages, cases/page/<n>/
CASES_PER_BUNDLE = 1000  # case pages in one Pagefind run (its memory grows with the pages it holds)
MANIFEST = "casebook-search.json"  # in pagefind/: {"bundles": [...], "words": [...]}
FINDER_DATA = "cases/finder.json"  # the finder's data (generator/finder.py), of each language's site
# MkDocs' logger, so the preview's log shows these lines; info only: a warning would fail a --strict rebuild.
log = logging.getLogger("mkdocs.casebook.search")
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# Pagefind runs under way, killed when the process ends (the preview's runs are in background threads): at module
# level, where the atexit handler below finds them.
_running: set[subprocess.Popen] = set()
atexit.register(lambda: [process.kill() for process in list(_running) if process.poll() is None])


class SearchIndexFailed(CasebookError):
    """Pagefind failed or indexed nothing."""


def pagefind_binary() -> Path:
    """The extended Pagefind binary shipped in the pagefind_bin_extended wheel (nothing is downloaded)."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise SearchIndexFailed("Pagefind is not installed: run `pip install -e .` (it needs pagefind[extended])"
                                ) from None
    return get_executable()


def command(site: Path, glob: str, output: str) -> list[str]:
    """Pagefind indexing the pages of ``site`` that ``glob`` matches into the bundle ``output`` (below the site)."""
    args = [str(pagefind_binary()), "--site", str(site), "--output-subdir", output, "--root-selector", ROOT,
            "--glob", glob]  # not --quiet: the summary it prints says what it indexed (check_run)
    for selector in EXCLUDE:
        args += ["--exclude-selectors", selector]
    return args


def bundles(site: Path) -> Iterator[tuple[str, str]]:
    """``(glob, output directory)`` of each Pagefind run over ``site``: the site pages, then the case pages in
    groups of :data:`CASES_PER_BUNDLE` (each group's ids listed in its glob: Pagefind takes one glob a run)."""
    yield SITE_PAGES, BUNDLE
    ids = sorted(p.parent.name for p in (site / CASES).glob("*/index.html") if p.parent.name != LIST_PAGES)
    for number, first in enumerate(range(0, len(ids), CASES_PER_BUNDLE), start=1):
        group = ids[first:first + CASES_PER_BUNDLE]
        pattern = group[0] if len(group) == 1 else "{" + ",".join(group) + "}"
        yield f"{CASES}/{pattern}/index.html", f"{BUNDLE}/{CASES}-{number}"


def index_site(site: Path, lang: str, pass_fds: tuple[int, ...] = (), nice: bool = False) -> str | None:
    """Index one language's built site into its bundles and write the manifest; what went wrong, or None."""
    parts: list[str] = []
    for glob, output in bundles(site):
        process = subprocess.Popen(command(site, glob, output), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, cwd=site, pass_fds=pass_fds,  # the build's lock (sitedir.build_lock)
                                   preexec_fn=(lambda: os.nice(10)) if nice and hasattr(os, "nice") else None)
        _running.add(process)
        try:
            printed, _ = process.communicate()
        finally:
            _running.discard(process)
        output_text = "\n".join(dict.fromkeys(printed.strip().splitlines()))  # it prints its errors twice
        if process.returncode != 0:
            return f"Pagefind failed on the {lang} site ({process.returncode}):\n{output_text}"
        if disk_full(site):  # out of space Pagefind exits 0, its summary as usual, its files cut short
            return f"Pagefind on the {lang} site ({output}): no space left for its files"
        if problem := check_run(printed, lang):
            return f"Pagefind on the {lang} site ({output}): {problem}\n{output_text}".strip()
        if output != BUNDLE:
            parts.append(output.removeprefix(BUNDLE + "/") + "/")
    words = known_words(site) if lang.split("-")[0] == "zh" else []
    manifest = {"bundles": parts, "words": words}
    # written whole, then put in place: the preview serves the site while it indexes it again
    replace_file(site / BUNDLE / MANIFEST, json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode())
    return None


def index_sites(sites: Mapping[str, Path], pass_fds: tuple[int, ...] = ()) -> dict[str, float]:
    """Index each language's built site (``{lang: site_dir}``) into its bundles; seconds per language.

    One run after the other: Pagefind already spreads its work over every core, and two runs side by side
    would need twice the memory.
    Raises :class:`SearchIndexFailed` if Pagefind fails or a bundle lacks its language's index.
    """
    seconds: dict[str, float] = {}
    failures: list[str] = []
    for lang, site in sites.items():
        began = time.perf_counter()
        if problem := index_site(site, lang, pass_fds):
            failures.append(problem)
        seconds[f"pagefind {lang}"] = time.perf_counter() - began
    if failures:
        full = next((site for site in sites.values() if disk_full(site)), None)
        if full is not None:  # Pagefind exits 0 having written empty files: the real cause, not their emptiness
            raise DiskFull(f"Pagefind could not write the search index: {no_space_message(full)}")
        raise SearchIndexFailed("\n".join(failures))
    return seconds


# The summary a Pagefind run prints at its end (its command line without --quiet): the languages of the pages it
# found ("Discovered 2 languages: en, zh") and, under "Total:", the pages it indexed ("Indexed 10 pages").
_DISCOVERED = re.compile(r"^Discovered \d+ languages?:(.*)$", re.MULTILINE)
_INDEXED_PAGES = re.compile(r"^\s*Indexed (\d+) pages?\s*$", re.MULTILINE)


def check_run(printed: str, lang: str) -> str | None:
    """What is wrong with a Pagefind run, from what it printed, or None: it must have indexed pages in ``lang``
    (Pagefind discovers a language from the pages that have it)."""
    languages = sorted({name.strip() for found in _DISCOVERED.findall(printed) for name in found.split(",")} - {""})
    pages = _INDEXED_PAGES.findall(printed)
    if not pages:
        return "Pagefind printed no summary of what it indexed"
    if lang not in languages or not int(pages[-1]):
        return f"no pages in {lang} were indexed (found {languages or 'none'})"
    return None


def known_words(site: Path) -> list[str]:
    """The Chinese words of the names and terms in the site's finder data, as jieba cuts them: what the dialog
    cuts a Chinese query into (the module's docstring says why). Words of two or more characters; longest first
    is the dialog's business."""
    import jieba  # only for Chinese sites; loading its dictionary takes about half a second

    jieba.setLogLevel(logging.WARNING)
    # jieba.dt (its default tokenizer, the one jieba.cut uses) and its FREQ table are jieba's internals: its
    # documented API cuts text but cannot say whether a string is a dictionary word, which _shorter_words must
    # know to cut as Pagefind's segmenter does. The lock pins jieba; tests/test_jieba_internals.py fails if they change.
    jieba.dt.check_initialized()
    try:
        data = json.loads((site / FINDER_DATA).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    texts: set[str] = set()
    for labels in data.get("labels", {}).values():
        texts.update(labels.values())
    for case in data.get("cases", []):
        texts.update([case.get("title", ""), case.get("reporter", ""), case.get("text", ""), *case.get("assisted", [])])
    words: set[str] = set()
    for run in (run for text in texts for run in _HAN_RUN.findall(text)):
        # without HMM, as Pagefind's segmenter (charabia) calls jieba: the dictionary's words only
        for word in jieba.cut(run, HMM=False):
            words.update(w for w in _shorter_words(word, jieba.dt) if len(w) > 1)
    return sorted(words)


def _shorter_words(word: str, dictionary: object) -> list[str]:
    """A word of three or more characters cut again, as Pagefind's segmenter does after jieba: a two-character
    dictionary word first, else a three-character one, else one character (职业中专 → 职业 中专)."""
    if len(word) < 3:
        return [word]
    known = dictionary.FREQ  # jieba's dictionary: word → frequency (0 for a word's prefixes that are no words)
    parts, at = [], 0
    while at < len(word):
        size = next((n for n in (2, 3) if known.get(word[at:at + n], 0) > 0 and at + n <= len(word)), 1)
        parts.append(word[at:at + size])
        at += size
    return parts
