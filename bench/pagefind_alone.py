"""Pagefind alone on a kept site: time and peak memory of the ways to index one language.

    /usr/bin/time -f "%e s, %M KiB" python -m bench.pagefind_alone one SITE LANG        # one run, every page
    /usr/bin/time -f "%e s, %M KiB" python -m bench.pagefind_alone bundles SITE LANG    # generator.search's bundles
    /usr/bin/time -f "%e s, %M KiB" python -m bench.pagefind_alone api-bundles SITE LANG   # … by the Python API
    /usr/bin/time -f "%e s, %M KiB" python -m bench.pagefind_alone bodies DOCS LANG OUT # the generated case bodies
    /usr/bin/time -f "%e s, %M KiB" python -m bench.pagefind_alone body-files DOCS LANG OUT   # … as files, CLI

SITE is one language's built site (a copy: the bundles are written into it), DOCS the generated pages of that
language (``build/docs/<lang>``). ``one`` is how the build indexed before the bundles (one Pagefind run over the
site's pages); ``bundles`` is :func:`generator.search.index_site`; ``api-bundles`` makes the same bundles through
Pagefind's documented Python API (``add_directory``, whose result gives the page count: issue 25 weighed it against
the summary the CLI prints, which the build reads); ``bodies`` feeds the case pages' generated bodies (the text a
reader searches, without the theme's header, navigation and footer) to the Python API instead of letting it read
every built page; ``body-files`` writes the same bodies as small HTML files and runs the CLI over them (the time
includes writing them). GNU time's %M is the largest resident set of the process or of any one process it waited
for: Pagefind's runs are sequential, so it is the largest run's.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

from generator.search import EXCLUDE, ROOT, bundles, command, index_site, pagefind_binary

ONE_RUN = "{index.html,cases/**/index.html,data/index.html,guide/index.html,about/index.html}"


def one(site: Path) -> None:
    subprocess.run(command(site, ONE_RUN, "pagefind-one"), check=True, cwd=site)


def cli_bundles(site: Path, lang: str) -> None:
    problem = index_site(site, lang)
    if problem:
        raise SystemExit(problem)


async def api_bundles(site: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    for glob, output in bundles(site):
        config = IndexConfig(root_selector=ROOT, exclude_selectors=list(EXCLUDE), output_path=str(site / output))
        async with PagefindIndex(config=config) as index:
            if not (await index.add_directory(str(site), glob=glob))["page_count"]:
                raise SystemExit(f"{output}: no pages indexed")


async def bodies(docs: Path, lang: str, output: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(exclude_selectors=list(EXCLUDE), output_path=str(output))
    async with PagefindIndex(config=config) as index:
        for page in sorted((docs / "cases").glob("*/index.md")):
            if page.parent.name == "page":
                continue
            body = page.read_text(encoding="utf-8").split("\n---\n", 1)[1]
            await index.add_html_file(content=f'<html lang="{lang}"><body>{body}</body></html>',
                                      url=f"/cases/{page.parent.name}/")
        await index.write_files()


def body_files(docs: Path, lang: str, output: Path) -> None:
    for page in sorted((docs / "cases").glob("*/index.md")):
        if page.parent.name != "page":
            body = page.read_text(encoding="utf-8").split("\n---\n", 1)[1]
            target = output / "cases" / page.parent.name / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f'<html lang="{lang}"><body><article class="md-content__inner">{body}</article>'
                              "</body></html>", encoding="utf-8")
    subprocess.run(command(output, "cases/*/index.html", "pagefind"), check=True, cwd=output)


def main(argv: list[str]) -> int:
    began = time.perf_counter()
    mode = argv[0]
    if mode == "one":
        one(Path(argv[1]))
    elif mode == "bundles":
        cli_bundles(Path(argv[1]), argv[2])
    elif mode == "api-bundles":
        asyncio.run(api_bundles(Path(argv[1])))
    elif mode == "bodies":
        pagefind_binary()  # the same extended binary the CLI runs
        asyncio.run(bodies(Path(argv[1]), argv[2], Path(argv[3])))
    elif mode == "body-files":
        body_files(Path(argv[1]), argv[2], Path(argv[3]))
    else:
        raise SystemExit(__doc__)
    print(f"{mode}: {time.perf_counter() - began:.2f} s ({ROOT})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
