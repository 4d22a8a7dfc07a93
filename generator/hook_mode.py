"""What the MkDocs hook (mkdocs_hook.py) does in ``on_config``: the one thing `casebook build` and `casebook serve`
tell it, through the environment of the process MkDocs runs in (a child process for the build, which is why the
environment carries it). This module alone names the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import Enum

_VARIABLE = "CASEBOOK_HOOK_MODE"


class HookMode(Enum):
    GENERATE = "generate"          # plain `mkdocs build`: the hook generates the pages first (no variable set)
    PREGENERATED = "pregenerated"  # `casebook build` wrote the pages: the hook generates nothing
    PREVIEW_STARTING = "preview-starting"  # `casebook serve` has just generated: not again at MkDocs' first build
    PREVIEW = "preview"            # a preview regenerates after each edit (preview.py): records with problems shown


def mode_env(mode: HookMode) -> dict[str, str]:
    """The variables that give a process started with them (or this one, updated with them) ``mode``."""
    return {_VARIABLE: mode.value}


def hook_mode(environ: Mapping[str, str] = os.environ) -> HookMode:
    """The mode ``environ`` gives; a plain MkDocs run, unless a casebook command set one."""
    return HookMode(environ.get(_VARIABLE, HookMode.GENERATE.value))

