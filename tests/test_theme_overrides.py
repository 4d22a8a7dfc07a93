"""site_overrides/ against the installed Material: what it copies or replaces must not drift silently.

Each override that stands in for a whole Material template or block was made from Material's as recorded here.
When a Material release changes one of them, the test names it: compare the two, carry the change over to the
override, and record the new digest.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import material
import pytest

MATERIAL = Path(material.__file__).resolve().parent / "templates"
OVERRIDES = Path(__file__).resolve().parent.parent / "site_overrides"

# Material's text each override was made from (Material 9.8.2), by sha256 of that text.
MADE_FROM = {
    # partials/alternate.html replaces Material's language selector (and includes the search after it)
    "partials/alternate.html": "572b1d4dae611aa5fd65107edec95e44331b6141abf86834ea4dc6c1ddd7241b",
    # main.html copies base.html's site_meta block (hreflang links to the same page in the other language)
    "base.html#site_meta": "13de58f67c2685fd956696642cadeeecae92f99d26504ed00942ea9c29eaaf20",
    # partials/logo.html: the casebook's own mark instead of Material's logo or icon (nothing of it copied)
    "partials/logo.html": "e0925ef6c190174a5162ed1ecc55295016dd8a7beec3018db3e04aac283a2dd9",
    # partials/copyright.html: publisher, licence, last update and About instead of Material's copyright line and
    # its "Made with" credit (config.copyright unused; extra.generator is false)
    "partials/copyright.html": "bc86bca3bf75070fe5d72e2a3463bdddf87c10f4d6459c945fe81c5d384e35ea",
}


def material_text(name: str) -> str:
    path, _, block = name.partition("#")
    text = (MATERIAL / path).read_text(encoding="utf-8")
    if block:
        found = re.search("{% block " + block + r" %}.*?{% endblock %}", text, re.S)
        assert found, f"Material's {path} has no block {block} any more"
        # the block names Material's version; a release changes that alone
        text = re.sub(r"mkdocs-material-[0-9.]+", "mkdocs-material-VERSION", found.group(0))
    return text


@pytest.mark.parametrize("name", sorted(MADE_FROM))
def test_material_is_still_what_the_override_was_made_from(name: str) -> None:
    digest = hashlib.sha256(material_text(name).encode("utf-8")).hexdigest()
    assert digest == MADE_FROM[name], (
        f"Material's {name} changed since site_overrides/ was made from it: compare them, carry the change over "
        f"to the override, then record sha256 {digest} in MADE_FROM")


def test_no_other_material_partial_is_replaced_whole() -> None:
    """A copied partial not listed above would drift unnoticed."""
    replaced = {path.relative_to(OVERRIDES).as_posix() for path in OVERRIDES.rglob("*.html")
                if (MATERIAL / path.relative_to(OVERRIDES)).is_file()}
    # main.html and 404.html extend Material's templates (blocks only); search.html is Material's search slot's
    # name but Material's own is never included (no search plugin), so ours stands alone
    assert replaced - {"main.html", "404.html", "partials/search.html"} == {
        name.partition("#")[0] for name in MADE_FROM if "#" not in name}

