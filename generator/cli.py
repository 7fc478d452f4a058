"""The `counterpoint` command: argument parsing and printing only."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .output_folder import OutputError
from .problems import FORMATTERS, ConfigError, Problem, format_text, sorted_problems

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Run as the program itself (`counterpoint …` or `python -m generator …`: called from the
    `__main__` module, parsing sys.argv), `build` and `check` do not return: once the output
    is flushed the process ends at once, skipping a cyclic collection and the freeing of the
    loaded site's million objects (0.4–0.7 s at 10,000 articles) that nothing would use.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    ends_process = (argv is None and args.command in _ENDS_PROCESS
                    and sys._getframe(1).f_globals.get("__name__") == "__main__")
    if ends_process:
        gc.disable()  # or the first allocation after the build would collect, and free, the whole site
    try:
        status = args.run(args)
    except OutputError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        status = EXIT_USAGE
    except ConfigError as exc:
        _print_problems(exc.problems, "text")
        status = EXIT_USAGE
    except KeyboardInterrupt:
        status = 130
    if ends_process:
        _exit_now(status)
    return status


_ENDS_PROCESS = ("build", "check")  # `serve` frees as it goes, and its Memory may still have to save


def _exit_now(status: int) -> None:
    """End the process with `status` once stdout and stderr are flushed; if they cannot be, return."""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return  # the interpreter's own exit reports it, as it always did
    os._exit(status)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="counterpoint", description="Build fact timelines from Markdown.")
    parser.add_argument("--version", action="version", version=f"counterpoint {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", type=Path, default=Path("."), help="the site folder (default: .)")
    common.add_argument("--drafts", action="store_true", help="include draft articles")
    common.add_argument("--strict", action="store_true", help="warnings fail too")
    common.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    common.add_argument("--verbose", "-v", action="store_true", help="say more, e.g. why a cache was ignored")
    common.add_argument("--jobs", "-j", type=int, default=None,
                        help="worker processes (default: all cores parse, one renders)")
    common.add_argument("--no-cache", dest="use_cache", action="store_false", help="ignore the parse cache")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser("build", parents=[common], help="build the site into the output folder")
    build.add_argument("--out", type=Path, help="output folder (default: [build] output in site.toml)")
    build.set_defaults(run=_build)

    check = sub.add_parser("check", parents=[common], help="check the site, writing nothing")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="how problems are printed")
    check.set_defaults(run=_check)

    serve = sub.add_parser("serve", parents=[common], help="build, serve and rebuild on change")
    serve.add_argument("--out", type=Path, help="output folder")
    serve.add_argument("--host", "--bind", dest="host", default="127.0.0.1",
                       help="address to bind, and the one host name answered besides localhost (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.set_defaults(run=_serve)

    new = sub.add_parser("new", parents=[common], help="create a new article file")
    new.add_argument("title")
    new.add_argument("--timeline", help="timeline slug for the article")
    new.add_argument("--date", help="publication date (default: today)")
    new.set_defaults(run=_new)

    imp = sub.add_parser("import", parents=[common], help="turn raw text articles into draft articles")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a raw text article ('date YYYY-MM-DD …')")
    imp.add_argument("--timeline", help="timeline slug for the articles")
    imp.set_defaults(run=_import)

    translations = sub.add_parser("translations", help="list the theme's strings a language has no translation for")
    translations.add_argument("--missing", required=True, metavar="LANG", help="a language code: fr, de, pt-BR…")
    translations.add_argument("--site", type=Path, default=None,
                              help="count the [strings] of this site's site.toml as translated")
    translations.set_defaults(run=_translations)

    init = sub.add_parser("init", help="create a new site")
    init.add_argument("dir", type=Path)
    init.set_defaults(run=_init)
    return parser


def _build(args: argparse.Namespace) -> int:
    from .build import build_site

    notes: list[str] = []
    progress = _Progress(enabled=sys.stderr.isatty() and not args.quiet)
    try:
        result = build_site(args.site, out_dir=args.out, drafts=args.drafts, strict=args.strict, jobs=args.jobs,
                            use_cache=args.use_cache, notes=notes, progress=progress)
    finally:
        progress.clear()
    _print_notes(notes, args.verbose)
    _print_problems(result.problems, "text", quiet_when_clean=True)
    if not result.ok:
        print("build failed; the output folder was left as it was", file=sys.stderr)
        return EXIT_CONTENT
    if not args.quiet:  # quiet means problems only
        print(f"built {result.out_dir}: {result.written} written, {result.unchanged} unchanged, "
              f"{result.removed} removed in {result.seconds:.2f} s")
    return EXIT_OK


class _Progress:
    """One self-overwriting line on a terminal, shown once a build has taken two seconds."""

    def __init__(self, *, enabled: bool, after: float = 2.0) -> None:
        self.enabled, self.after = enabled, after
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.started < self.after:
            return
        text = f"{stage}: {done:,} of {total:,}" if total and done else f"{stage}…"
        sys.stderr.write(f"\r\033[K{text}")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _check(args: argparse.Namespace) -> int:
    from .build import load_site
    from .render.check import theme_problems

    notes: list[str] = []
    site, problems = load_site(args.site, drafts=args.drafts, strict=args.strict, jobs=args.jobs,
                               use_cache=args.use_cache, notes=notes)
    theme = theme_problems(args.site, site)  # what a build of this site would refuse in its templates
    if theme:
        site, problems = None, sorted_problems([*problems, *theme])
    if args.verbose and site is not None:
        from .load.dates import resolution_notes

        notes.extend(resolution_notes(site))  # which resolver read each date: ISO, our grammar or dateparser
    _print_notes(notes, args.verbose)
    if args.format == "text" and args.quiet and not problems:
        return EXIT_OK
    _print_problems(problems, args.format)
    if site is None or (args.strict and problems):
        return EXIT_CONTENT
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.site, host=args.host, port=args.port, drafts=args.drafts, open_browser=args.open,
                 out_dir=args.out, quiet=args.quiet)


def _new(args: argparse.Namespace) -> int:
    from .scaffold import new_article

    return new_article(args.site, args.title, timeline=args.timeline, date=args.date)


def _import(args: argparse.Namespace) -> int:
    from .importer import import_files

    return import_files(args.site, args.files, timeline=args.timeline)


def _translations(args: argparse.Namespace) -> int:
    from .i18n import LanguageError, known_messages, missing_messages

    strings = {}
    if args.site is not None:
        from .config import load_config

        strings = dict(load_config(args.site).strings)
    try:
        missing = missing_messages(args.missing, strings)
    except LanguageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for message in missing:
        print(message)
    total = len(known_messages())
    if missing:
        print(f"{args.missing}: {len(missing)} untranslated of {total} messages; docs/i18n.md says how to add them")
        return EXIT_CONTENT
    print(f"{args.missing}: every one of {total} messages is translated")
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from .scaffold import init_site

    return init_site(args.dir)


def _print_notes(notes: Sequence[str], verbose: bool) -> None:
    if verbose:
        for note in notes:
            print(f"note: {note}", file=sys.stderr)


def _print_problems(problems: Sequence[Problem], style: str, *, quiet_when_clean: bool = False) -> None:
    problems = sorted_problems(problems)
    if style != "text":
        print(FORMATTERS[style](problems))
        return
    if problems or not quiet_when_clean:
        print(format_text(problems), file=sys.stdout)
