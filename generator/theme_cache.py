"""The theme's compiled templates, kept between the rebuilds of `casebook serve`.

MkDocs makes a new Jinja environment for the theme at every build, so every rebuild after an edit parsed and
compiled Material's templates and our overrides again (base.html alone is 600 lines) before rendering the few
pages the edit changed. Jinja's documented bytecode cache keeps the compiled code; it is handed to each new
environment from the MkDocs hook's ``env`` event. Jinja checks each template's source against the checksum kept
with its code, so an edited override is compiled again.
"""

from __future__ import annotations

import jinja2


class InMemory(jinja2.BytecodeCache):
    """Compiled templates by Jinja's key (the template's name and file), in this process."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # dropped by Jinja when the source's checksum differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED = InMemory()  # here, not in the hook module: MkDocs imports that again at every build
