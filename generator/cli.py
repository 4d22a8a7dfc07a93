"""The ``casebook`` command line: each command is a thin shell over one pipeline function."""

from __future__ import annotations

import errno
import gc
import json
import os
import re
import socket
import sys
from pathlib import Path

import click

from . import preview
from .build import ENGINES, QUIET_ENV
from .errors import INTERRUPTED, INTERRUPTED_MESSAGE, CasebookError, ProblemsFound, UsageError, display_path, printable
from .hook_mode import HookMode, mode_env
from .pipeline import build_site
from .project import LANGUAGES, Project
from .schema import (
    CASE_ID_RE,
    CASE_SCHEMA_TITLE,
    MAX_ID_LENGTH,
    RESERVED_CASE_IDS,
    case_json_schema,
    reserved_id_message,
)
from .settings import load_settings
from .sitedir import build_lock
from .skeleton import case_skeleton
from .status import translation_status
from .validate import validate_files
from .vocabulary import load_vocabulary
from .write import replace_file

VOCABULARY_OPTION = click.option("--vocabulary", "vocabulary_path", type=click.Path(path_type=Path),
                                 default=Path("vocabulary.yaml"), show_default=True,
                                 help="The vocabulary file the records use.")
INTERNAL_ERROR = 3  # neither the records (1) nor the command or its environment (2): a fault of casebook's own
PATHS_ARGUMENT = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))


class CasebookGroup(click.Group):
    """Turns every CasebookError into a message and an exit code: an editor never sees a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except ProblemsFound as exc:
            click.echo(str(exc), err=True)
            click.echo(f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''} found", err=True)
            sys.exit(exc.exit_code)
        except CasebookError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo(f"\n{INTERRUPTED_MESSAGE}", err=True)
            sys.exit(INTERRUPTED)
        except OSError as exc:  # the machine refused: a read-only folder, a full disk, a missing path …
            where = f": {display_path(exc.filename)}" if exc.filename else ""
            click.echo(f"error: {exc.strerror or exc}{where}", err=True)
            sys.exit(UsageError.exit_code)
        except Exception as exc:
            if os.environ.get("CASEBOOK_DEBUG"):
                raise
            click.echo(f"error: unexpected {type(exc).__name__}: {exc}\n    hint: this is a fault in casebook, "
                       "not in your records; please report it with the command you ran "
                       "(CASEBOOK_DEBUG=1 shows where it happened)", err=True)
            sys.exit(INTERNAL_ERROR)


@click.group(name="casebook", cls=CasebookGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="casebook")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Casebook: bilingual case studies of vocational-education poverty alleviation.

    \b
    Example:
      casebook validate            # check every record in cases/
      casebook new my-college      # start a new record
    """
    # The process's garbage-collector policy, set here and nowhere else. Loading, checking and rendering make
    # millions of small objects that live as long as the command, and next to no reference cycles, yet every pass
    # of the cyclic collector walks them all again: at 1,000 cases that was as long as loading itself, 40 % of
    # rendering and 90 % of the compare rows, for 7 % less peak memory. A command that ends when its work is
    # done runs without it; `serve`, which lives on, keeps it and freezes what its first build loaded (serve).
    if ctx.invoked_subcommand != "serve":
        gc.disable()


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    chosen = list(paths) or [Path("cases")]
    missing = [p for p in chosen if not p.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(map(display_path, missing))}")
    return chosen


@main.command()
@PATHS_ARGUMENT
@VOCABULARY_OPTION
def validate(paths: tuple[Path, ...], vocabulary_path: Path) -> None:
    """Check case records: files or directories (default: cases/).

    Prints every problem as file:line:col: field: message, with a hint.
    Exits 0 when all records are valid, 1 when any has a problem.

    \b
    Example:
      casebook validate cases/hunan-industry-polytechnic.yaml
    """
    vocabulary = load_vocabulary(vocabulary_path)
    valid, problems = validate_files(_paths(paths), vocabulary)
    if problems:
        raise ProblemsFound(problems)
    click.echo(f"{len(valid)} case{'s' if len(valid) != 1 else ''} valid")


@main.command()
@click.argument("case_id")
@click.option("--cases", "cases_dir", type=click.Path(path_type=Path), default=Path("cases"), show_default=True,
              help="Directory of case records.")
def new(case_id: str, cases_dir: Path) -> None:
    """Write a skeleton record cases/CASE_ID.yaml to fill in.

    The id is the reporting institution in lower-case ascii letters, digits and hyphens.
    An existing file is never overwritten.

    \b
    Example:
      casebook new hunan-industry-polytechnic
    """
    if not CASE_ID_RE.fullmatch(case_id):
        raise UsageError(f"'{printable(case_id)}' is not a valid case id: use lower-case ascii letters, digits and "
                         "hyphens, e.g. hunan-industry-polytechnic")
    if case_id in RESERVED_CASE_IDS:
        raise UsageError(reserved_id_message(case_id))
    if len(case_id) > MAX_ID_LENGTH:
        raise UsageError(f"'{case_id[:40]}…' is {len(case_id)} characters long; a case id has at most {MAX_ID_LENGTH}")
    if cases_dir.exists() and not cases_dir.is_dir():
        raise UsageError(f"--cases {display_path(cases_dir)} is not a directory")
    target = cases_dir / f"{case_id}.yaml"
    if os.path.lexists(target):  # a link there too, even one leading nowhere: the file is created, never followed
        raise UsageError(f"{display_path(target)} already exists; edit it, or choose another id")
    cases_dir.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as out:
        out.write(case_skeleton(case_id, schema_path=os.path.relpath(Path.cwd() / "case.schema.json", cases_dir)))
    click.echo(f"wrote {display_path(target)}: fill it in, then run `casebook validate {display_path(target)}`")


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of standard output.")
@VOCABULARY_OPTION
def schema(output: Path | None, vocabulary_path: Path) -> None:
    """Print the JSON Schema of a case record (for editors' autocompletion).

    \b
    Example:
      casebook schema -o case.schema.json
    """
    text = json.dumps(case_json_schema(load_vocabulary(vocabulary_path)), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        if output.is_symlink():
            raise UsageError(f"-o {display_path(output)} is a symbolic link; writing through it would overwrite "
                             "the file it leads to. Name the file itself")
        if output.is_dir():
            raise UsageError(f"-o {display_path(output)} is a directory; name the file to write, "
                             "e.g. case.schema.json")
        if not output.parent.is_dir():
            raise UsageError(f"-o {display_path(output)}: there is no directory {display_path(output.parent)}")
        if output.exists() and not _is_case_schema(output):
            raise UsageError(f"-o {display_path(output)} already holds something other than a case record's schema "
                             "(a record, the vocabulary, a file of yours); it is left as it was. Name a new file or "
                             "the schema file itself, e.g. case.schema.json")
        replace_file(output, text.encode("utf-8"))  # a new file put in place: never written through a link
        click.echo(f"wrote {display_path(output)}")


def _is_case_schema(path: Path) -> bool:
    """Whether ``path`` holds a schema `casebook schema` wrote (so writing it again loses nothing of anyone's)."""
    if not path.is_file():  # a named pipe or a device: never read (it could block), never replaced
        return False
    try:
        found = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and found.get("title") == CASE_SCHEMA_TITLE


@main.command()
@PATHS_ARGUMENT
@VOCABULARY_OPTION
def status(paths: tuple[Path, ...], vocabulary_path: Path) -> None:
    """Report translation coverage: per case, text fields with English, missing or draft.

    \b
    Example:
      casebook status cases/
    """
    vocabulary = load_vocabulary(vocabulary_path)
    valid, problems = validate_files(_paths(paths), vocabulary)
    click.echo(translation_status(valid), nl=False)
    if problems:
        raise ProblemsFound(problems)




@main.command()
@click.option("--cases", "cases_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Directory of case records (default: cases/).")
@click.option("--site-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("site"),
              show_default=True, help="Where the finished site goes; replaced only when the build succeeds.")
@click.option("--serial", is_flag=True, help="Build the languages one after the other instead of side by side.")
@click.option("--engine", type=click.Choice(ENGINES), default="mkdocs", show_default=True,
              help="The site builder: MkDocs with Material, or Zensical (the same pages, overrides and search).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def build(cases_dir: Path | None, site_dir: Path, serial: bool, engine: str, quiet: bool) -> None:
    """Validate the records and build the bilingual site (Chinese at /, English at /en/).

    Run it in the project directory (where mkdocs.yml is). On any problem the
    previous site is left exactly as it was.

    \b
    Example:
      casebook build --site-dir site
    """
    project = _project(cases_dir)
    report = build_site(project, site_dir, parallel=not serial, progress=_progress(quiet), engine=engine)
    if not quiet:
        timings = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.seconds.items())
        click.echo(f"built {len(report.case_ids)} cases into {display_path(site_dir)} ({timings})")
    if quiet:
        return
    settings = load_settings(project.mkdocs_config("zh"))
    if not settings.site_url:
        click.echo("notice: site_url is not set (CASEBOOK_SITE_URL, or site_url in mkdocs.yml), so the site names "
                   "no address of its own: no sitemap or feed, no canonical or Open Graph addresses, citations "
                   "without a URL", err=True)
    for key in settings.unset():
        where = {"publisher": "the About page and the footer leave it out",
                 "contact": "the About page leaves it out, and the cases' error links without a repository",
                 "repository": "the About page and the cases' edit and error links leave it out (the publish "
                               "workflow sets it from CASEBOOK_REPOSITORY)"}[key.rpartition(".")[2]]
        click.echo(f"notice: {key} is not set in mkdocs.base.yml: {where}", err=True)
    known = set(report.case_ids)
    for case_id in settings.featured:
        if case_id not in known:
            click.echo(f"notice: extra.casebook.featured in mkdocs.base.yml names '{printable(case_id)}', which is "
                       "no case: the home page leaves it out", err=True)


@main.command()
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh", show_default=True,
              help="Which language to preview.")
@click.option("--cases", "cases_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Directory of case records (default: cases/).")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests addressed to this host name (the preview answers only 127.0.0.1, "
                   "localhost, [::1] and the -a host). Repeat for more.")
def serve(lang: str, cases_dir: Path | None, dev_addr: str, allow_hosts: tuple[str, ...]) -> None:
    """Preview the site on localhost; it regenerates and reloads when you save a record.

    Watches cases/, templates/, vocabulary.yaml and the MkDocs configuration.

    \b
    Example:
      casebook serve --lang en
    """
    project = _project(cases_dir)
    _check_address(dev_addr)
    for name in allow_hosts:
        if not re.fullmatch(r"[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]", name):
            raise UsageError(f"--allow-host {printable(name)}: give a host name or address as a browser sends it, "
                             "e.g. my-laptop.local or [::1]")
    with build_lock(project.work_dir, _progress(False)):
        shown = preview.regenerate(project, (lang,))
    gc.freeze()  # the records the rebuilds keep (preview.py): not walked again by every collection (main)
    if shown.problems:  # the preview starts all the same, showing them in place of the cases
        click.echo(str(ProblemsFound(shown.problems)), err=True)
    os.environ.update({**QUIET_ENV, "CASEBOOK_CASES": str(project.cases_dir), **mode_env(HookMode.PREVIEW_STARTING),
                       preview.ALLOWED_HOSTS: ",".join(allow_hosts)})
    from mkdocs.__main__ import cli as mkdocs_cli  # only serve needs it; Material reads the environment above

    # MkDocs runs in this process, so the hook's regeneration after an edit finds every other record already
    # checked and reads only the changed file, and renders only the pages it changes (preview.py). --dirty: after a
    # change only the pages whose Markdown changed are rebuilt (the generator rewrites only changed files); other
    # pages keep their navigation until the next full build. --no-strict: MkDocs warns on every dirty rebuild, so the
    # preview reports warnings in its log instead of stopping; `casebook build` stays strict.
    dirty = ["--dirty"] if preview.uses("dirty") else []
    try:
        mkdocs_cli.main(["serve", "--livereload", *dirty, "--no-strict", "-f", str(project.mkdocs_config(lang)),
                         "-a", dev_addr], prog_name="mkdocs", standalone_mode=False)
    except click.Abort:  # Ctrl-C before the server started (MkDocs' first build): as at any other moment (main)
        raise KeyboardInterrupt from None


@main.command()
@click.option("--cases", "cases_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("cases"),
              show_default=True, help="Directory of case records.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--decap", "decap_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("tools/decap"),
              show_default=True, help="Where Decap CMS is installed from its lock (npm ci, when missing).")
@VOCABULARY_OPTION
def edit(cases_dir: Path, port: int, decap_dir: Path, vocabulary_path: Path) -> None:
    """Edit the records in a form in the browser (Decap CMS), served on 127.0.0.1 only.

    Every save is checked as `casebook validate` checks a file and written into the record's own text, changing
    only what changed. The printed address carries a token made at each start. Stop it with Ctrl-C.

    \b
    Example:
      casebook edit
    """
    from .edit_server import EditSite, make_server  # only this command needs the server

    if not cases_dir.is_dir() or cases_dir.is_symlink():
        raise UsageError(f"--cases {display_path(cases_dir)} is not a directory of records")
    site = EditSite(Path.cwd(), cases_dir, load_vocabulary(vocabulary_path), _decap_dist(decap_dir),
                    report=lambda message: click.echo(message, err=True))
    try:
        server = make_server(site, port)
    except OSError as exc:
        raise UsageError(f"--port {port}: cannot listen there: {exc.strerror or exc}") from None
    click.echo(f"The form is at {site.address()}\n(this address works until you stop `casebook edit` with Ctrl-C)")
    try:
        server.serve_forever()  # Ctrl-C ends it as every command ends: one line, exit 130 (main's handler)
    finally:
        server.server_close()


def _decap_dist(decap_dir: Path) -> Path:
    """Decap CMS's bundled files, installed from the lock in ``decap_dir`` with `npm ci` when missing or stale."""
    import subprocess

    dist = decap_dir / "node_modules" / "decap-cms" / "dist"
    lock = decap_dir / "package-lock.json"
    if not lock.is_file():
        raise UsageError(f"{display_path(lock)} is missing: run this in the casebook's project directory")
    if not (dist / "decap-cms.js").is_file() or lock.stat().st_mtime > (decap_dir / "node_modules").stat().st_mtime:
        click.echo(f"installing Decap CMS into {display_path(decap_dir)} (npm ci, once) …", err=True)
        try:
            subprocess.run(["npm", "ci", "--prefix", str(decap_dir), "--no-audit", "--no-fund", "--loglevel=error"],
                           check=True, stdout=subprocess.DEVNULL)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise UsageError(f"could not install Decap CMS with npm ({exc}): install Node.js and npm, "
                             f"or run `npm ci --prefix {display_path(decap_dir)}`") from None
        (decap_dir / "node_modules").touch()
    return dist


@main.command("edit-config")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of standard output.")
@VOCABULARY_OPTION
def edit_config(output: Path | None, vocabulary_path: Path) -> None:
    """Print the browser form's configuration, generated from the case schema and the vocabulary.

    \b
    Example:
      casebook edit-config -o generator/data/edit-form.yml
    """
    from .edit_config import form_config_text

    text = form_config_text(load_vocabulary(vocabulary_path))
    if output is None:
        click.echo(text, nl=False)
        return
    if output.is_dir() or not output.parent.is_dir():
        raise UsageError(f"-o {display_path(output)}: name a file in an existing directory")
    if output.is_symlink():
        raise UsageError(f"-o {display_path(output)} is a symbolic link: name the file itself")
    replace_file(output, text.encode("utf-8"))
    click.echo(f"wrote {display_path(output)}")


def _project(cases_dir: Path | None) -> Project:
    root = Path.cwd()
    if not (root / "mkdocs.yml").is_file():
        raise UsageError("no mkdocs.yml here: run this in the casebook's project directory")
    if cases_dir is not None and not cases_dir.is_dir():
        raise UsageError(f"no such directory: {display_path(cases_dir)}")
    return Project.at(root, cases_dir)


def _check_address(address: str) -> None:
    """Refuse an address the preview server could not listen on, before the first build rather than after it."""
    host, _, port_text = address.rpartition(":")
    # [0-9], not isdigit(): "²" is a digit to Python that int() refuses, "８０" one that it reads
    if not host or not re.fullmatch(r"[0-9]{1,5}", port_text) or not 1 <= int(port_text) <= 65535:
        raise UsageError(f"-a {address}: give a host and a port from 1 to 65535, e.g. 127.0.0.1:8000")
    try:
        family = socket.getaddrinfo(host.strip("[]"), int(port_text), type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the preview server does
            probe.bind((host.strip("[]"), int(port_text)))
    except OSError as exc:
        hint = "; another preview may be running: stop it, or choose another port with -a 127.0.0.1:8001" \
            if getattr(exc, "errno", None) == errno.EADDRINUSE else ""
        raise UsageError(f"-a {address}: cannot listen there: {exc.strerror or exc}{hint}") from None


def _progress(quiet: bool):
    return (lambda message: None) if quiet else (lambda message: click.echo(message, err=True))
