"""The `casebook` command (and `python -m generator`): Ctrl-C at any moment, even while Python is still loading
casebook's modules, before the command line can catch it, ends with one line and exit code 130."""

import sys

from .errors import INTERRUPTED, INTERRUPTED_MESSAGE


def run() -> None:
    try:
        from .cli import main

        main()
    except KeyboardInterrupt:
        print(f"\n{INTERRUPTED_MESSAGE}", file=sys.stderr)
        sys.exit(INTERRUPTED)


if __name__ == "__main__":
    run()
