"""Recall of the Chinese search: do names and terms taken from the records find every page that contains them?

    python -m bench.search_recall SITE CASES [--limit 400]

SITE is a built casebook (``casebook build``, this branch's bundles), CASES the records it was built from (for
example ``python -m bench.synth 1000 DIR`` then ``casebook build --cases DIR``). The queries are the records'
Chinese names (reporters, partners, their prefectures) and the vocabulary's Chinese terms (themes, types of
assistance, terminology). Which pages contain a query is read from the built pages' text (what Pagefind indexes:
each indexed page's ``<article>`` less what search.py leaves out). Then, in Chromium, each query is searched
through Pagefind's documented JS API two ways, on the same bundles:

- ``pagefind``: Pagefind's own cut (``Intl.Segmenter``): every bundle merged as Pagefind merges it by default;
- ``casebook``: as the search dialog does (site_overrides/assets/search.js): the case bundles merged with the
  language ``und`` and the query cut by search-words.js into the generator's words.

It prints, for each way, how many queries found every page that contains them, and how many pages were found that
do not contain the query (Pagefind keeps a page when a query word occurs nowhere in its bundle).
"""

from __future__ import annotations

import argparse
import functools
import html.parser
import http.server
import json
import random
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from generator.load import load_file
from generator.search import CASES, EXCLUDE, LIST_PAGES

ROOT = Path(__file__).resolve().parent.parent
INDEXED = ("cases/index.html", "data/index.html", "guide/index.html", "about/index.html")
_HAN = re.compile(r"[\u3400-\u9fff]")
SKIPPED_CLASSES = {selector[1:] for selector in EXCLUDE if selector.startswith(".")}
SKIPPED_IDS = {selector[1:] for selector in EXCLUDE if selector.startswith("#")}
_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "col", "area", "base", "embed", "track"}


class ArticleText(html.parser.HTMLParser):
    """The text Pagefind indexes of a page: its <article>, less the excluded and ignored elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>
        self.skip = 0  # inside an element left out (its depth counted)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        values = dict(attrs)
        if tag == "article":
            self.depth += 1
        if self.skip:
            self.skip += 1
        elif self.depth and (set((values.get("class") or "").split()) & SKIPPED_CLASSES
                             or values.get("id") in SKIPPED_IDS or "data-pagefind-ignore" in values):
            self.skip = 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.skip:
            self.skip -= 1
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


def page_texts(site: Path) -> dict[str, str]:
    """Each indexed page's text, by URL from the site root, without white space (Chinese has none between
    words, and a name may be split across an element's lines)."""
    pages = [site / p for p in INDEXED] + [p for p in (site / CASES).glob("*/index.html")
                                           if p.parent.name != LIST_PAGES]
    texts = {}
    for page in pages:
        if page.is_file():
            parser = ArticleText()
            parser.feed(page.read_text(encoding="utf-8"))
            texts["/" + page.parent.relative_to(site).as_posix().strip(".") + "/"] = re.sub(r"\s+", "",
                                                                                             "".join(parser.parts))
    return {url.replace("//", "/"): text for url, text in texts.items()}


def queries(cases: Path, limit: int, seed: int = 1) -> list[str]:
    """Chinese names and terms from the records and the vocabulary, at most ``limit`` (a seeded sample)."""
    found: set[str] = set()
    for path in sorted(cases.glob("*.yaml")):
        data = load_file(path).data
        found.add(data["reporter"]["name"]["zh"])
        for partner in data.get("partners", []):
            found.add(partner["name"]["zh"])
            prefecture = (partner.get("region") or {}).get("prefecture")
            if prefecture:
                found.add(prefecture["zh"])
    vocabulary = yaml.safe_load((ROOT / "vocabulary.yaml").read_text(encoding="utf-8"))
    for kind in ("themes", "relationships", "terminology"):
        found.update(term["zh"] for term in vocabulary[kind].values())
    chosen = sorted(q for q in found if q and _HAN.search(q))
    random.Random(seed).shuffle(chosen)
    return sorted(chosen[:limit])


SEARCH = """async ([queries, ours]) => {
  const bundle = new URL("/pagefind/", location.href).href;
  const manifest = await (await fetch(bundle + "casebook-search.json")).json();
  const pagefind = await import(bundle + "pagefind.js");
  const words = await import(new URL("/assets/search-words.js", location.href).href);
  const instance = pagefind.createInstance({ baseUrl: "/", indexWeight: 0.1 });
  for (const part of manifest.bundles) {
    await instance.mergeIndex(bundle + part, ours ? { baseUrl: "/", language: "und" } : { baseUrl: "/" });
  }
  const cut = ours ? words.cutter(manifest.words) : (q) => q;
  const found = {};
  for (const q of queries) {
    const answer = await instance.search(cut(q));
    found[q] = await Promise.all(answer.results.map(async (r) => (await r.data()).url));
  }
  return found;
}"""


@contextmanager
def served(site: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 — the base class names it so
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def measure(site: Path, cases: Path, limit: int) -> dict[str, dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    texts = page_texts(site)
    asked = queries(cases, limit)
    figures: dict[str, dict[str, Any]] = {}
    with served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        try:
            for way, ours in (("pagefind", False), ("casebook", True)):
                page = browser.new_page()
                page.goto(base + "about/")
                found = page.evaluate(SEARCH, [asked, ours])
                page.close()
                complete = extra = 0
                missed: list[str] = []
                for query in asked:
                    containing = {url for url, text in texts.items() if query in text}
                    urls = set(found[query])
                    complete += containing <= urls
                    extra += len(urls - containing)
                    if not containing <= urls:
                        missed.append(f"{query} ({len(containing - urls)} of {len(containing)} pages missed)")
                figures[way] = {"queries": len(asked), "found every page": complete, "pages without the query": extra,
                                "missed": missed[:20]}
        finally:
            browser.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("cases", type=Path)
    parser.add_argument("--limit", type=int, default=400)
    args = parser.parse_args(argv)
    json.dump(measure(args.site, args.cases, args.limit), sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
