"""MkDocs hook: the tab of a page's section is highlighted on pages the navigation does not list.

The navigation lists each section's first page (``cases/``, ``browse/``, ``compare/`` …); a case, a facet value
or an indicator page lives below one of them but is not in the navigation, so MkDocs marks no tab active there.
This marks the section's page active while such a page renders (``active`` is MkDocs' public flag that themes
read for the current page and its parents) and clears it afterwards.
"""

from __future__ import annotations

_marked: list = []  # the sections marked for the page being rendered: at module level, where a hook keeps state


def on_page_context(context, page, config, nav):
    if page.is_homepage or page in nav.pages:
        return context
    sections = [p for p in nav.pages if p.url and page.url.startswith(p.url) and p is not page]
    if sections:
        section = max(sections, key=lambda p: len(p.url))
        section.active = True
        _marked.append(section)
    return context


def on_post_page(output, page, config):
    while _marked:
        _marked.pop().active = False
    return output
