"""Screenshots of the built site's page types, in both languages, at desktop and phone widths.

Serves SITE on 127.0.0.1 and drives the system's Chromium (never a downloaded one) through Playwright:
home, finder, the finder with two filters on, every case, a facet page, compare, map, about, the 404 page and the
search dialog with a query, at 1366 px and 390 px, Chinese and English, written as <out>/<lang>-<page>-<width>.png;
and the first case as printed (Chromium's print media, the page as one long sheet), <out>/<lang>-case-print-<width>.png.
Nothing leaves this machine.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

WIDTHS = {1366: 900, 390: 844}   # width → viewport height (a laptop; an iPhone 13/14)
LANGUAGES = {"zh": "", "en": "en/"}
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions"]


SEARCHES = {"zh": "和田", "en": "Kashgar"}   # the search dialog is photographed with these queries


def page_paths(site: Path) -> dict[str, str]:
    """The pages to photograph: one of each type, every case, and the finder with two filters (the first theme and
    the first assisted province by code, as finder.js reads them from the address)."""
    cases = sorted(p.parent.name for p in site.glob("cases/*/index.html") if p.parent.name != "page")
    themes = sorted(p.parent.name for p in site.glob("browse/theme/*/index.html"))
    provinces = sorted(p.parent.name for p in site.glob("browse/to/*/index.html"))
    paths = {"home": "", "finder": "cases/", "compare": "compare/", "map": "map/", "about": "about/", "404": "404.html"}
    if themes and provinces:
        # the finder reads province codes (CN-XJ); the facet pages' folders are cn-xj
        paths["finder-filtered"] = f"cases/?theme={themes[0]}&to={provinces[0].upper()}"
    for case in cases:
        paths[f"case-{case}"] = f"cases/{case}/"
    if themes:
        paths["facet"] = f"browse/theme/{themes[0]}/"
    return paths


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 — the base class names it so
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="folder for the PNGs")
    parser.add_argument("--full-page", action=argparse.BooleanOptionalAction, default=True,
                        help="the whole page, not only the first screen (default: whole page)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no built site here; run ./scripts/build-site first", file=sys.stderr)
        return 2
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        print("Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    paths = page_paths(args.site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
            for width, height in WIDTHS.items():
                phone = width < 600
                context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone,
                                              has_touch=phone, device_scale_factor=1)
                context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                              or route.request.url.startswith(("data:", "blob:")) else route.abort())
                page = context.new_page()
                printed = next((name for name in paths if name.startswith("case-")), None)
                for lang, prefix in LANGUAGES.items():
                    for name, path in paths.items():
                        page.goto(base + prefix + path, wait_until="networkidle")
                        target = args.out / f"{lang}-{name}-{width}.png"
                        page.screenshot(path=str(target), full_page=args.full_page)
                        print(target)
                        if name == printed:   # and printed: what a reader's printer gets, as one long sheet
                            page.emulate_media(media="print")
                            target = args.out / f"{lang}-case-print-{width}.png"
                            page.screenshot(path=str(target), full_page=args.full_page)
                            page.emulate_media(media="screen")
                            print(target)
                    # the search dialog with a query, as ?search= opens it, once its results are there
                    page.goto(base + prefix + "?search=" + SEARCHES[lang], wait_until="networkidle")
                    page.locator(".cb-search__results li").first.wait_for(state="visible")
                    target = args.out / f"{lang}-search-{width}.png"
                    page.screenshot(path=str(target))
                    print(target)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
