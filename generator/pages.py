"""The reader's ways into the casebook: browse (facet) pages, compare, map, data and the feed.

Like render.py this only shapes data; templates hold the wording and the markup (SVG too).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import jinja2

from . import charts, compare, facets, opendata
from .validate import ValidCase
from .vocabulary import Vocabulary

NEWEST = 6


def svg_block(markup: str) -> str:
    """Inline SVG as one raw-HTML block: Markdown leaves a block alone only if it has no blank line."""
    return "\n".join(line for line in markup.splitlines() if line.strip())


def case_tags(item: ValidCase) -> dict[str, list[str]]:
    """The facet values of one case, for the tags on its page."""
    return {facet: facets.values_of(item.case, facet) for facet in facets.FACETS}


def headline(cases: list[ValidCase], rows: list[compare.IndicatorRow]) -> dict[str, Any]:
    """Totals for the home page, all computed from the records."""
    return {
        "cases": len(cases),
        "reporters": len({c.case.reporter.name.zh for c in cases}),
        "partners": len({(p.region.province, p.name.zh) for c in cases for p in c.case.partners}),
        "provinces": len({p for c in cases for p in facets.assisted_provinces(c.case)}),
        "totals": compare.totals(rows),
    }


def reader_pages(env: jinja2.Environment, common: dict[str, Any], cases: list[ValidCase],
                 vocabulary: Vocabulary, lang: str, settings) -> list[tuple[str, str]]:
    """Every browse, compare, map and data page of one language, and the language's feed and data files."""
    by_facet = facets.all_facets(cases, vocabulary)
    ordered = sorted(cases, key=lambda c: c.id)
    rows = compare.compare_rows(cases, vocabulary)
    pages: list[tuple[str, str]] = [
        ("browse/index.md", env.get_template("browse_index.md.j2").render(common, facets=by_facet)),
    ]
    facet_index = env.get_template("browse_facet_index.md.j2")
    facet_page = env.get_template("browse_facet.md.j2")
    for facet, values in by_facet.items():
        pages.append((f"browse/{facet}/index.md", facet_index.render(common, facet=facet, values=values)))
        for value in values:
            pages.append((facets.facet_path(facet, value.value), facet_page.render(common, facet=facet, fv=value)))

    bar = env.get_template("svg/bars.svg.j2")
    charts_svg = {row.indicator: svg_block(bar.render(common, chart=charts.bar_chart(row)))
                  for row in rows if row.reporting >= 2}
    pages.append(("compare/index.md", env.get_template("compare.md.j2").render(
        common, cases=ordered, rows=rows, totals=compare.totals(rows), charts=charts_svg)))

    pairs = facets.pairings(cases)
    reporting = Counter(c.case.reporter.province for c in cases)
    assisted = Counter(p for c in cases for p in facets.assisted_provinces(c.case))
    geometry = charts.map_geometry(pairs, dict(reporting), dict(assisted))
    map_svg = svg_block(env.get_template("svg/map.svg.j2").render(common, map=geometry))
    pages.append(("map/index.md", env.get_template("map.md.j2").render(common, pairings=pairs, svg=map_svg)))

    newest = sorted(cases, key=lambda c: (c.case.added, c.id), reverse=True)
    pages.append(("data/index.md", env.get_template("data.md.j2").render(
        common, case_columns=opendata.CASE_COLUMNS, figure_columns=opendata.FIGURE_COLUMNS)))
    pages.append(("feed.xml", env.get_template("feed.xml.j2").render(common, cases=newest)))
    pages += opendata.data_files(cases, vocabulary, settings.site_url, settings.data_license)
    return pages
