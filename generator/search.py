"""The search index: Pagefind over each language's built site (`casebook build`, and under `casebook serve`).

Pagefind reads the built HTML and writes a static index cut into small chunks: the browser fetches only the
chunks a query needs, where Material's lunr search downloaded the whole index and built it in the browser
(about 14 s before the first results at 1,000 cases). The binary comes from the ``pagefind[extended]`` wheel;
the extended build is the one that segments Chinese into words, so a word inside a sentence is found.

Each language's site gets its own bundle at its root (``site/pagefind/``, ``site/en/pagefind/``): it holds
that language's pages only, every page loads it from its own site root (site_overrides/partials/search.html),
and the English site is complete without the Chinese one, as under ``casebook serve --lang en``.

Chinese queries: the browser cuts a Chinese query into words before searching (Intl.Segmenter), and its cuts
often differ from the ones Pagefind made when indexing (``剑川`` becomes ``剑 川``; Pagefind/pagefind#1237): at
1,000 cases, 121 of 403 names and terms tried missed pages that contain them, many found nothing.
:func:`write_words` saves the index's own Chinese words (:data:`WORDS`); site_overrides/assets/search.js cuts
queries with them instead, and all 403 found every such page.

Not yet on public surfaces (issue 13): Pagefind 1.5.2 offers no supported way to do this. Its ``createInstance``
takes the query's language from ``<html lang>`` whatever its ``language`` option says, the Component UI has no
hook that changes a query before it is searched, and no documented output lists the index's words. So
search.js swaps the UI's Pagefind instance through its private ``__load__``, and :func:`write_words` reads the
index's fragment files. Both rely on the exact Pagefind release pyproject.toml pins, and tests/test_browser.py
checks the result; an upstream ``createInstance`` that honours ``language`` would let both go.

What is indexed: each page's ``<article>`` (:data:`ROOT`: not the header, navigation or footer), less
what :data:`EXCLUDE` names (the case pages' citation), on the pages :data:`PAGES` names; the catalogue and
the data page by their title only (their templates mark the rest data-pagefind-ignore),
and not the 404 page (site_overrides/404.html).
"""

from __future__ import annotations

import atexit
import gzip
import json
import logging
import os
import re
import subprocess
import threading
import time
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

from .errors import CasebookError

BUNDLE = "pagefind"  # the bundle's directory inside each language's site
ROOT = "article.md-content__inner"  # Material's <article>: the page's title and text
# Left out of the index: the headings' permalink signs (¶), and a case page's citation, which repeats its title
# and reporter in both languages (English words on the Chinese page). Pagefind's selectors have no sibling
# combinators, so the short translation-status section stays in.
EXCLUDE = (".headerlink", "#citation", ".cb-citation-label", ".cb-citation")
# The pages indexed, from each language's site root: the case pages and the catalogue, the home, data, guide
# and about pages. Not the browse, compare and map pages: they only list what the case pages say (the
# navigation leads to them), and reading them was a third of Pagefind's time at 1,000 cases.
PAGES = "{index.html,cases/**/index.html,data/index.html,guide/index.html,about/index.html}"
# MkDocs' logger, so the preview's log shows these lines; info only: a warning would fail a --strict rebuild.
log = logging.getLogger("mkdocs.casebook.search")
WORDS = "casebook-words.json"  # in the bundle: the index's Chinese words of two or more characters
SIGNATURE = b"pagefind_dcd"  # what a fragment (gzip-compressed JSON of one page) starts with
_WORD_BREAK = re.compile(r"[\s\u200b]+")  # Pagefind joins the Chinese words it cut with \u200b
_HAN_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")


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


def command(site: Path) -> list[str]:
    args = [str(pagefind_binary()), "--site", str(site), "--output-subdir", BUNDLE, "--root-selector", ROOT,
            "--glob", PAGES, "--quiet"]
    for selector in EXCLUDE:
        args += ["--exclude-selectors", selector]
    return args


def index_sites(sites: Mapping[str, Path], pass_fds: tuple[int, ...] = ()) -> dict[str, float]:
    """Index each language's built site (``{lang: site_dir}``) into its bundle; seconds per language.

    One language after the other: Pagefind already spreads its work over every core, and two runs side by side
    would need twice the memory (about 0.9 GiB each at 1,000 cases).
    Raises :class:`SearchIndexFailed` if Pagefind fails or a bundle lacks its language's index.
    """
    seconds: dict[str, float] = {}
    failures: list[str] = []
    for lang, site in sites.items():
        began = time.perf_counter()
        process = subprocess.run(command(site), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=site,
                                 pass_fds=pass_fds)  # the build's lock (sitedir.build_lock)
        output = "\n".join(dict.fromkeys(process.stdout.strip().splitlines()))  # it prints its errors twice
        if process.returncode != 0:
            failures.append(f"Pagefind failed on the {lang} site ({process.returncode}):\n{output}")
        elif problem := check_bundle(site, lang) or write_words(site, lang):
            failures.append(f"Pagefind on the {lang} site: {problem}\n{output}".strip())
        seconds[f"pagefind {lang}"] = time.perf_counter() - began
    if failures:
        raise SearchIndexFailed("\n".join(failures))
    return seconds


def check_bundle(site: Path, lang: str) -> str | None:
    """What is wrong with the bundle Pagefind wrote into ``site``, or None: it must index pages in ``lang``."""
    try:
        entry = json.loads((site / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"no readable {BUNDLE}/pagefind-entry.json ({exc})"
    languages = entry.get("languages") or {}
    if not languages.get(lang, {}).get("page_count"):
        return f"no pages in {lang} were indexed (found {sorted(languages) or 'none'})"
    return None


def write_words(site: Path, lang: str) -> str | None:
    """For a Chinese site: write the words Pagefind cut its pages into (:data:`WORDS`); what went wrong, or None."""
    if lang.split("-")[0] != "zh":
        return None
    words: set[str] = set()
    for fragment in (site / BUNDLE / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        if not data.startswith(SIGNATURE):
            return f"{fragment.name} is not a fragment as Pagefind {version('pagefind')} writes them"
        content = json.loads(data[len(SIGNATURE):])["content"]
        words.update(word for word in _WORD_BREAK.split(content) if _HAN_WORD.fullmatch(word))
    if not words:
        return "no Chinese words in the index"
    (site / BUNDLE / WORDS).write_text(json.dumps(sorted(words), ensure_ascii=False, separators=(",", ":")),
                                       encoding="utf-8")
    return None


_preview: dict[str, subprocess.Popen] = {}


def index_preview(site: Path) -> None:
    """Under `casebook serve`: index the served site in the background, after each of its builds.

    The preview shows an edit at once; its search finds the edited pages when Pagefind has indexed the site again
    (a line in the log says so), which takes as long as indexing the language in a build: Pagefind cannot update
    one page of an index. An indexing still running when the next build ends is stopped: its pages are out of date.
    """
    running = _preview.get(str(site))
    if running is not None and running.poll() is None:
        running.kill()
    try:
        # niced: the rebuilds after an edit come first
        process = subprocess.Popen(command(site), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   cwd=site, preexec_fn=(lambda: os.nice(10)) if hasattr(os, "nice") else None)
    except (OSError, SearchIndexFailed) as exc:
        log.info(f"search is not available in the preview: {exc}")
        return
    if running is None:
        atexit.register(lambda: _preview[str(site)].poll() is None and _preview[str(site)].kill())
    _preview[str(site)] = process
    log.info("indexing the preview for search (Pagefind), in the background")

    def wait() -> None:
        output, _ = process.communicate()
        if process.returncode == 0:
            entry = json.loads((site / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
            for lang in entry.get("languages", {}):
                write_words(site, lang)
            log.info("search index of the preview ready")
        elif process.returncode > 0:  # not stopped for a newer build, nor at shutdown
            log.info(f"search is not available in the preview: Pagefind failed:\n{output.strip()}")

    threading.Thread(target=wait, daemon=True).start()
