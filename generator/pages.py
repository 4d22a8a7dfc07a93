"""The reader's ways into the casebook: browse (facet) pages, compare, map, data and the feed.

Like render.py this only shapes data; templates hold the wording and the markup (SVG too).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from . import charts, compare, facets, opendata
from .page_context import PageContext
from .schema import ValidCase
from .vocabulary import Vocabulary

MAP_LISTED = 5   # the map's table names a pairing's cases up to this many; beyond, it links to their list
# Up to this many cases the map's table is grouped by case (each title once, its pairings under it); beyond, one row
# a pairing, so the page grows with the pairings, not with cases × pairings.
MAP_BY_CASE_MAX = 60


def svg_block(markup: str) -> Markup:
    """Inline SVG for an HTML page (its template escapes the text it holds), without blank lines."""
    return Markup("\n".join(line for line in markup.splitlines() if line.strip()))


@dataclass(frozen=True)
class ChartSvg:
    """An indicator's bar chart as inline SVG, made when the page that shows it prints it (its ``__html__``, which
    Jinja asks for): a page the preview reuses (page_cache.py) does not make it again. Two are alike when their
    charts are; the template and the context it renders with are those of the page."""

    chart: charts.BarChart
    up: str   # from the page to the site root
    template: jinja2.Template = field(compare=False)
    common: dict[str, Any] = field(compare=False)

    def __html__(self) -> str:
        return svg_block(self.template.render(self.common, chart=self.chart, up=self.up, fit=charts.fit_text,
                                              width=charts.text_width, room=charts.LABEL_ROOM))


def case_tags(item: ValidCase) -> dict[str, list[str]]:
    """The facet values of one case, for the tags on its page."""
    return {facet: facets.values_of(item.case, facet) for facet in facets.FACETS}


HEADLINE_TOTALS = 3   # sums the home page shows at most


def headline(cases: list[ValidCase], rows: list[compare.IndicatorRow], vocabulary: Vocabulary) -> dict[str, Any]:
    """Counts for the home page, all computed from the records, and the sums it may show.

    A sum is shown only when cases count the figure alike: the indicator is summable and says exactly what is
    counted (its vocabulary description), and two or more cases report it. Each says how many cases it adds up.
    """
    defined = [t for t in compare.totals(rows) if t.cases >= 2 and vocabulary.indicators[t.indicator].description]
    return {
        "sums": sorted(defined, key=lambda t: (-t.cases, t.indicator))[:HEADLINE_TOTALS],
        "cases": len(cases),
        "reporters": len({c.case.reporter.name.zh for c in cases}),
        "partners": len({(p.region.province, p.name.zh) for c in cases for p in c.case.partners}),
        "provinces": len({p for c in cases for p in facets.assisted_provinces(c.case)}),
    }


def reading_order(values: list[facets.FacetValue], facet: str, label) -> list[facets.FacetValue]:
    """A facet's values as a reader scans them: most cases first, then by name; years in order of time."""
    if facet == "year":
        return values
    return sorted(values, key=lambda v: (-len(v.entries), label(v)))


def not_stated(vocabulary: Vocabulary) -> set[str]:
    """The theme and relationship terms that stand for "not stated": listed apart from the others."""
    return {term for kind in ("themes", "relationships") for term, t in vocabulary.terms(kind).items() if t.not_stated}


# A compare cell's figure says what it counts in about this many Latin letters (a Han character two): a short line.
COMPARE_LABEL_ROOM = 44


def compare_pages(context: PageContext) -> Iterator[tuple[str, str]]:
    """The compare page and one page per indicator (``compare/<indicator>.md``).

    Up to :data:`compare.MATRIX_MAX` cases the compare page is the full matrix (indicators as rows, cases
    as columns) with the totals and the charts; beyond, it is an overview of the indicators (unit, cases
    reporting, total as reported) and each indicator's page holds its figures, its chart and its total,
    so no page but the lists of an indicator's figures grows with the number of cases.
    """
    env, common, rows = context.env, context.common, context.shared.rows
    ordered = sorted(context.cases, key=lambda c: c.id)
    totals = {t.indicator: t for t in compare.totals(rows)}
    no_totals = compare.no_totals(rows)
    groups = {head: group for head, group in compare.concepts(rows).items() if len(group) > 1}
    grouped = {row.indicator: head for head, group in groups.items() for row in group}
    matrix = len(ordered) <= compare.MATRIX_MAX
    bar = env.get_template("svg/bars.svg.j2")
    charts_of = {row.indicator: charts.bar_chart(row) for row in rows if row.reporting >= 2}

    index_charts = {key: ChartSvg(chart, "../", bar, common) for key, chart in charts_of.items()} if matrix else {}
    yield "compare/index.md", env.get_template("compare.html.j2").render(
        common, cases=ordered, rows=rows, lines=compare.concept_rows(rows), totals=totals,
        no_totals=no_totals, grouped=grouped, groups=groups, fit=charts.fit_text, label_room=COMPARE_LABEL_ROOM,
        chart_data=charts_of,
        charts=index_charts, matrix=matrix, matrix_max=compare.MATRIX_MAX)
    indicator_page = env.get_template("compare_indicator.html.j2")
    for row in rows:
        chart = charts_of.get(row.indicator)
        yield f"compare/{row.indicator}/index.md", indicator_page.render(
            common, row=row, total=totals.get(row.indicator), no_total=no_totals.get(row.indicator),
            concept=groups.get(grouped.get(row.indicator), []), chart=chart,
            svg=ChartSvg(chart, "../../", bar, common) if chart else None,
            missing=[item for item in ordered if item.id not in row.cells] if matrix else [])


def browse_pages(context: PageContext) -> Iterator[tuple[str, str]]:
    """The browse pages: their index, each facet's values, and each value's cases."""
    env, common, helpers = context.env, context.common, context.common["h"]
    by_facet = {facet: reading_order(values, facet, lambda v, f=facet: str(helpers.facet_label(v.value, f)))
                for facet, values in context.shared.facets.items()}
    apart = not_stated(context.vocabulary)
    yield "browse/index.md", env.get_template("browse_index.html.j2").render(common, facets=by_facet, apart=apart)
    facet_index = env.get_template("browse_facet_index.html.j2")
    facet_page = env.get_template("browse_facet.html.j2")
    for facet, values in by_facet.items():
        yield f"browse/{facet}/index.md", facet_index.render(common, facet=facet, values=values, apart=apart)
        for value in values:
            yield facets.facet_path(facet, value.value), facet_page.render(common, root="../../../", facet=facet,
                                                                           fv=value)


def reader_site_pages(context: PageContext) -> Iterator[tuple[str, str]]:
    """The glossary, the map, the Data page and the language's feed."""
    env, common, cases, vocabulary = context.env, context.common, context.cases, context.vocabulary
    yield "glossary/index.md", env.get_template("glossary.html.j2").render(
        common, root="../", counts={facet: {v.value: len(v.entries) for v in context.shared.facets[facet]}
                                    for facet in ("theme", "relationship")},
        terminology=vocabulary.glossary)

    pairs = facets.pairings(cases)
    reporting = Counter(c.case.reporter.province for c in cases)
    assisted = Counter(p for c in cases for p in facets.assisted_provinces(c.case))
    labels = {code: getattr(label, common["lang"]) for code, label in vocabulary.all_provinces.items()}
    geometry = charts.map_geometry(pairs, dict(reporting), dict(assisted), labels, common["lang"])
    map_svg = svg_block(env.get_template("svg/map.svg.j2").render(common, map=geometry))
    by_case = ([(item, [p for p in pairs if item in p.cases]) for item in sorted(cases, key=lambda c: c.id)]
               if len(cases) <= MAP_BY_CASE_MAX else [])
    yield "map/index.md", env.get_template("map.html.j2").render(common, pairings=pairs, svg=map_svg,
                                                                 listed_max=MAP_LISTED, by_case=by_case)

    newest = sorted(cases, key=lambda c: (c.case.added, c.id), reverse=True)
    yield "data/index.md", env.get_template("data.html.j2").render(
        common, case_columns=opendata.CASE_COLUMNS, figure_columns=opendata.FIGURE_COLUMNS,
        # the files sit beside the root site's Data page; from /en/data/ that is ../../data/
        files="" if common["lang"] == opendata.PUBLISHED_IN else "../../data/",
        sizes={name: common["h"].nums.file_size(size) for name, size in context.data_sizes().items()})
    if common["settings"].site_url:   # a feed's ids and links are addresses: a site without one has no feed
        yield "feed.xml", env.get_template("feed.xml.j2").render(common, cases=newest)
