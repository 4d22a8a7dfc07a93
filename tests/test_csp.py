"""generator/csp.py on small pages: which scripts are hashed, and where the policy goes (the built site and the
browser tests check it on every real page)."""

from __future__ import annotations

import base64
import hashlib

import pytest

from generator.csp import PolicyFailed, inline_script_hashes, with_policy


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_only_scripts_the_browser_runs_inline_are_hashed_each_once() -> None:
    page = ("<script>a()</script><script data-src=x>b()</script><script src=x.js></script>"
            '<script type="application/json">{"c": 1}</script><script type=module>d()</script>'
            "<SCRIPT>a()</SCRIPT><script>\r\ne('中')\r\n</script>")
    assert inline_script_hashes(page) == [sha256("a()"), sha256("b()"), sha256("d()"), sha256("\ne('中')\n")]


def test_policy_goes_right_after_the_charset_else_first_in_head() -> None:
    page = '<!doctype html><html><head>\n<meta charset="utf-8">\n<title>x</title><script>a()</script></head></html>'
    result = with_policy(page)
    assert result.startswith('<!doctype html><html><head>\n<meta charset="utf-8">\n<meta http-equiv='
                             '"Content-Security-Policy" content="default-src \'self\'; script-src \'self\' '
                             + sha256("a()") + " 'wasm-unsafe-eval'; style-src 'self';")
    assert with_policy("<html><head><title>x</title></head></html>").startswith(
        '<html><head>\n<meta http-equiv="Content-Security-Policy" content="default-src')


def test_a_page_without_head_is_refused_with_a_message() -> None:
    with pytest.raises(PolicyFailed, match="x.html has no <head>"):
        with_policy("<p>no head</p>", "x.html")
