"""The command line: `dateline [build|check|new|new-source|archive|import|serve|init|links] ...` (also `build.py ...`).

The one place that prints errors.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import links_command
from .arguments import parser, prog_name
from .core.errors import BuildError

_ENDING: list | None = None  # what the commands made, when the process ends after them (`run`)

# The rest loads in the command that needs it: a build that finds nothing changed
# (build/unchanged.py) ends before Jinja, Markdown or dateparser would have loaded.


def cmd_build(args) -> int:
    """Build the site and say where it went (only into a folder that is new, empty or an earlier build)."""
    from .build import cache, unchanged
    from .build.survey import Survey

    out = args.output or args.site / "output"
    store = None if args.no_cache else cache.Store(args.site / cache.FOLDER)
    if store:  # nothing changed since the last build: say what it said, touch nothing
        store.beside = True  # big files written by a forked process while the build goes on; settled below
        options = (os.path.realpath(out), args.base_url, args.drafts)
        looking = Survey.start(args.site, options, store.stamp)  # the files listed beside (build/survey.py)
        if looking and not unchanged.recorded(store) and not looking.ready():  # a big site, changed since:
            cache.read_ahead(store)  # the caches are read and the modules load meanwhile
            from . import pipeline  # noqa: F401
        last, before = unchanged.replay(store, args.site, out, options, looking.inputs if looking else None)
        if looking:
            looking.close()
        if last:
            _print_notes(store)
            _print_warnings(last.lines)
            print(f"up to date: {last.summary} in {out} (nothing changed since the last build)", file=sys.stderr)
            return 0
        cache.read_ahead(store)  # while the modules below load
    from . import pipeline
    from .build import parallel

    if store:
        store.before_fork = parallel.trim_heap  # what the build freed is not counted in the process forked

    said: list[str] = []  # the warnings as printed, each made once (172,000 of the benchmark's 100,000 events)

    def remember(result) -> None:  # called while the output is still locked: no other build's files
        said[:] = map(str, result.warnings)
        if store:
            texts = tuple(sorted({s.text for s in result.timeline.sources if s.text}))
            unchanged.record(store, args.site, out, options, before, said, summary(result),
                             {*result.files, *result.copies}, texts, result.stats)

    shown = _progress(args)
    try:
        with parallel.collector_off():  # one pass: nothing to collect until it ends
            memo = cache.open_memo(store) if store else None
            listed = (before.taken_ns, before.content) if store and before and before.content is not None else None
            result = pipeline.build(args.site, args.output, args.base_url, args.drafts, memo=memo,
                                    progress=shown, written=remember, listed=listed)
            if store:  # not after a failed build (but for what build/early.py wrote once the content was checked)
                shown("saving the cache")
                cache.save_memo(store, memo)
    finally:
        if store:
            store.settle()  # the timeline written beside the memos (build/snapshot.py)
        shown.close()
        _print_notes(store)
    _print_warnings(said if said else result.warnings)
    reused = f" ({memo.counts['files kept']} unchanged)" if memo and memo.counts["files kept"] else ""
    print(f"built {summary(result)} into {out}{reused}", file=sys.stderr)
    if _ENDING is not None:
        _ENDING.append((result, memo))
    return 0


def summary(result) -> str:
    """Return '20 events, 76 files': what a build made."""
    return (f"{counted(len(result.timeline.events), 'event')}, "
            f"{counted(len(result.files) + len(result.copies), 'file')}")


def _print_notes(store) -> None:
    for note in store.take_notes() if store else ():
        print(note, file=sys.stderr)


def cmd_check(args) -> int:
    """Run everything but the writing; list every error, warning and note; 1 if any error."""
    from . import pipeline as site
    from .core import report

    shown = _progress(args)
    try:  # the build's own pipeline, minus the writing
        result = site.run(args.site, None, args.base_url, args.drafts, progress=shown)
    finally:
        shown.close()
    timeline, problems = result.timeline, result.problems + site.output_problems(args.site, args.output)
    problems = report.tidy(report.strict(problems) if args.strict else problems)
    if args.format == "json":
        sys.stdout.write(report.as_json(problems))
    else:
        _print_warnings(problems)
    print(report.summary(len(timeline.events) if timeline else None, problems,
                         timeline.quote_counts if timeline else (0, 0)), file=sys.stderr)
    return report.exit_code(problems)


def cmd_new(args) -> int:
    """Start an event file; print its path on stdout, for an editor to open."""
    from . import scaffold

    warnings: list = []
    path = scaffold.new_event(args.site, args.title, args.date, args.source, args.place, args.tag, warnings)
    _print_warnings(warnings)
    print(path)
    print("created as a draft: remove `draft: true` once it is written", file=sys.stderr)
    return 0


def cmd_new_source(args) -> int:
    """Start a source file; print its path on stdout."""
    from . import scaffold

    print(scaffold.new_source(args.site, args.id, args.title, args.publisher, args.url, args.published))
    return 0


def cmd_init(args) -> int:
    """Start a new timeline folder; ask for its settings on a terminal; say what was written."""
    from . import init

    given = {k: getattr(args, k) for k in ("title", "description", "language") if getattr(args, k) is not None}
    settings = init.Settings(**{"title": init.default_title(args.path), **given})
    init.refuse(args.path, settings, args.force)  # before asking anything
    if sys.stdin.isatty():
        try:
            settings = init.ask(settings, set(given))
        except KeyboardInterrupt:
            print("\ninterrupted; nothing was written", file=sys.stderr)
            return 130
    result = init.create(args.path, settings, args.force)
    for rel in result.created:
        print(result.root / rel)
    if result.kept:
        print(f"kept, as they were already there: {', '.join(result.kept)}", file=sys.stderr)
    if result.placeholder and "requirements.txt" in result.created:
        print(f"note: {result.root / 'requirements.txt'} names no Dateline to install ({result.placeholder}): "
              f"put a pip requirement such as '{init.PLACEHOLDER}' there before publishing, "
              "or the GitHub Pages workflow stops and says so", file=sys.stderr)
    here = Path(sys.argv[0]).resolve()  # build.py of this clone: the command works from any folder
    start = f"cd {result.root} && dateline serve" if args.prog == "dateline" else \
        f"python3 {here if here.name == 'build.py' else 'build.py'} serve --site {result.root}"
    done = f"created a timeline in {result.root}" if result.created else "nothing to add: every file was there"
    print(f"{done}; preview it: {start}", file=sys.stderr)
    return 0


def cmd_import(args) -> int:
    """Write one draft entry a slide; print their paths on stdout and what did not come along on stderr."""
    from .importers import import_timeline  # markdownify loads only for this command

    result = import_timeline(args.format, args.file, args.site)
    _print_warnings(result.notes)
    for path in result.written:
        print(path)
    n, one = result.kept_in_comments, len(result.written) == 1
    kept = (f"; {n} {'keeps' if n == 1 else 'keep'} media, display dates or backgrounds as comments in "
            f"{'its' if n == 1 else 'their'} front matter" if n else "")
    print(f"imported {counted(len(result.written), 'slide')} from {args.file} as "
          f"{'a draft' if one else 'drafts'} in {args.site / 'content' / 'events'}{kept}; "
          f"{'it cites' if one else 'they cite'} no source yet: `check` lists {'it' if one else 'them'}",
          file=sys.stderr)
    return 0


def cmd_archive(args) -> int:
    """Store the text of the sources named (or of all); print the text files written on stdout."""
    from . import archive  # trafilatura loads only for this command

    if bool(args.ids) == args.all:
        print(f"{args.prog} archive: error: name the sources to archive, or pass --all (not both)", file=sys.stderr)
        return 2
    result = archive.archive(args.site, args.ids, every=args.all, force=args.force)
    _print_warnings(result.notes)
    for path in result.written:
        print(path)
    print(f"archived {counted(len(result.written), 'source')} into {args.site / archive.FOLDER}; "
          "`check` verifies their quotes", file=sys.stderr)
    return 0


def counted(n: int, noun: str) -> str:
    """Return '1 event', '2 events': a count with its noun in the singular or the plural."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _progress(args):
    """Return the progress display of a build or check on stderr (showing nothing with --quiet)."""
    from .build import progress

    return progress.Progress(sys.stderr, enabled=not args.quiet)


def _print_warnings(warnings) -> None:
    """Print each warning on a line of its own, in one write (stderr writes each line as it comes)."""
    sys.stderr.write("".join(f"{w}\n" for w in warnings))


def cmd_links(args) -> int:
    """Ask every source address; print a warning at its file:line for each dead, moved or refused one."""
    return links_command.run(args, say=lambda text: print(text, file=sys.stderr))


def cmd_serve(args) -> int:
    """Serve a live preview until interrupted."""
    from .preview import serve  # livereload and tornado load only for this command

    return serve.run(args.site, args.host, args.port, args.base_url, say=lambda text: print(text, file=sys.stderr))


COMMANDS = {"build": cmd_build, "check": cmd_check, "new": cmd_new, "new-source": cmd_new_source,
            "serve": cmd_serve, "init": cmd_init, "import": cmd_import, "archive": cmd_archive,
            "links": cmd_links}


def run() -> None:
    """The `dateline` script, build.py and `python -m dateline`: `main`, then exit at once.

    A build leaves millions of objects that Python would free one by one before the process
    ends (3.4 s after a one-entry rebuild of 100,000 events, 0.3 s at 10,000); everything is
    written and closed by then, so the process ends without freeing them. What `build` read and
    made is held to the end (`_ENDING`), not freed as its functions return (0.2 s of a one-entry
    rebuild of 100,000 events)."""
    global _ENDING
    _ENDING = []
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run a command; turn every expected failure into a message and an exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "build")
    prog = prog_name()
    try:
        args = parser(prog).parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    args.prog = prog
    try:
        return COMMANDS[args.command](args)
    except BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{counted(len(exc.problems), 'error')}; nothing was written", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; output/ holds a whole site, the last build's or this one's", file=sys.stderr)
        return 130
    except OSError as exc:  # the system refused a write: a full disk, a file where a folder must be...
        print(f"{exc.filename or '.'}: error: cannot write: {exc.strerror or exc} (is every folder on "
              f"the way a folder you can write to, on a disk with room?)", file=sys.stderr)
        return 1
