"""The theme contract: the markup of Material for MkDocs that the casebook relies on, and where it relies on it.

Material documents its templates' blocks and partials as the places to override (site_overrides/ uses only those,
and tests/test_theme_overrides.py checks the copied ones against Material's own). The class names below are not
such a surface: they are what Material's templates write and its stylesheet and script select. The casebook uses
them in a few places, listed here with each file that names them. tests/test_theme_contract.py checks each entry
three ways: the built pages have it, Material's own assets still name it (so a Material release that renames it
fails the test, not a reader), and every file listed still writes it (so a rename in one place fails too).

Not listed: the site's stylesheets (site_overrides/assets/*.css) restyle many of Material's classes; a renamed one
loses a style, not a function, and the screenshots (scripts/screenshots) show it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ThemeMarkup:
    """One piece of Material's markup the casebook relies on."""

    selector: str  # a compound selector (tag, classes, attributes) that the built pages match
    name: str  # the text every file in ``used_in`` writes
    used_in: tuple[str, ...]  # files of the project that write ``name``, from the project's root
    material: str  # what Material's asset ``material_asset`` writes of it, word for word
    material_asset: str  # "stylesheet" or "script": Material's main.*.min.css or bundle.*.min.js
    why: str
    avoids: str = ""  # a selector of Material's asset that the built pages must not match (the markup's purpose)


# Material's <article> holding the page's title and generated body (its content block).
CONTENT = ThemeMarkup(
    selector="article.md-content__inner",
    name="md-content__inner",
    used_in=("generator/search.py", "generator/csp.py", "bench/in_browser.py", "bench/pagefind_alone.py"),
    material=".md-content__inner", material_asset="stylesheet",
    why="Pagefind indexes only it (search.ROOT); the Content-Security-Policy trusts the theme's inline scripts "
        "outside it and none inside it (csp.py); the benchmarks of the finder and of Pagefind alone set bodies "
        "into it.",
)

# Material's language selector in the header: partials/alternate.html replaces Material's partial of the same name
# and keeps its markup, each link going to the same page in the other language.
LANGUAGE_LINK = ThemeMarkup(
    selector="a.md-select__link[hreflang]",
    name="md-select__link",
    used_in=("site_overrides/partials/alternate.html", "site_overrides/assets/search.js",
             "site_overrides/assets/finder.js"),
    material=".md-select__link", material_asset="stylesheet",
    why="the search dialog offers the query on the other language's site through it (search.js); the finder "
        "carries its filters over to the other language's finder (finder.js).",
)

# A button of Material's header: the language button (Material's markup, kept in partials/alternate.html) and our
# search button (partials/search.html), which takes its look and place.
HEADER_BUTTON = ThemeMarkup(
    selector="button.md-header__button.cb-search__button",
    name="md-header__button",
    used_in=("site_overrides/partials/alternate.html", "site_overrides/partials/search.html"),
    material=".md-header__button", material_asset="stylesheet",
    why="the Pagefind search button sits in Material's header as one of its buttons, without a style of our own.",
)

# Material's buttons: the finder's reset, "show the cases" (phones) and "more" buttons.
BUTTON = ThemeMarkup(
    selector="button.md-button",
    name="md-button",
    used_in=("templates/catalogue.html.j2",),
    material=".md-button", material_asset="stylesheet",
    why="the finder's buttons look like the rest of the site's buttons.",
)

# The hreflang alternates of main.html's site_meta block, written rel=" alternate" (a leading space): still the
# token `alternate` for crawlers, but Material's script selects link[rel=alternate] (an exact match, which no longer
# matches) and fetches a sitemap.xml beside each, expecting the other site's home page; it would request a missing
# …/cases/<id>/sitemap.xml on every page.
ALTERNATE_LINK = ThemeMarkup(
    selector='link[rel=" alternate"][hreflang]',
    name='rel=" alternate"',
    used_in=("site_overrides/main.html",),
    material="link[rel=alternate]", material_asset="script",
    why="hreflang alternates to the same page in each language, which Material's script leaves alone.",
    avoids="link[rel=alternate]",
)

CONTRACT = (CONTENT, LANGUAGE_LINK, HEADER_BUTTON, BUTTON, ALTERNATE_LINK)
