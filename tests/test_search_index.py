"""Each Pagefind run of a build is checked by the summary Pagefind prints (generator/search.check_run), not by the
files of the bundle it wrote: a bundle without its language's pages fails the build, named, instead of publishing a
search that finds nothing. The real Pagefind binary, on a one-page site."""

from __future__ import annotations

import json
from pathlib import Path

from generator import search


def one_page_site(root: Path, lang: str) -> Path:
    page = root / "cases" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f'<html lang="{lang}"><head><title>Cases</title></head><body><article class="md-content__inner">'
                    "<h1>Cases</h1><p>Paired assistance between colleges</p></article></body></html>",
                    encoding="utf-8")
    return root


def test_a_site_in_its_language_is_indexed(tmp_path: Path) -> None:
    site = one_page_site(tmp_path / "site", "en")
    assert search.index_site(site, "en") is None
    assert json.loads((site / "pagefind" / search.MANIFEST).read_text(encoding="utf-8")) == {"bundles": [],
                                                                                            "words": []}


def test_pages_in_another_language_fail_naming_what_was_found(tmp_path: Path) -> None:
    site = one_page_site(tmp_path / "site", "en")
    problem = search.index_site(site, "zh")
    assert problem is not None
    assert problem.startswith("Pagefind on the zh site (pagefind): no pages in zh were indexed (found ['en'])\n")
    assert not (site / "pagefind" / search.MANIFEST).exists()


def test_a_run_that_printed_no_summary_is_not_taken_for_a_good_one() -> None:
    assert search.check_run("", "zh") == "Pagefind printed no summary of what it indexed"
    summary = "Discovered 2 languages: en, zh\n\nTotal: \n  Indexed 2 languages\n  Indexed {} pages\n"
    assert search.check_run(summary.format(10), "zh") is None and search.check_run(summary.format(10), "en") is None
    assert search.check_run(summary.format(0), "zh") == "no pages in zh were indexed (found ['en', 'zh'])"
