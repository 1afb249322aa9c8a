"""The pipeline: load -> validate -> render -> write, as one function (`run`) for build, check and the preview."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .build import ahead, beside, cache, early as early_memo, images, journal, lazynotes, parallel, snapshot, write as writer
from .core.errors import BuildError, Problem, rel
from .build.incremental import Keep
from .build.progress import quiet
from .render.links import check_links
from .render.minify import minified
from .core.load import load_site
from .core.model import Timeline
from .render.pages import THEME, render_site
from .core.timeline import validate
from .build.write import update_site, write_site
from .build.folders import outside_links, read_folders, static_files, stylesheet_notes, tree  # noqa: F401 - the pipeline's, for callers


# A build that draws this many pages, and most of the site's, writes each into the new tree as it
# is drawn, rather than holding all their bytes until the end (docs/performance.md, "Streaming").
STREAM = 1000


@dataclass
class Result:
    """What a run produced: the timeline (None after an error in the content), every problem, the files."""

    timeline: Timeline | None
    problems: list[Problem] = field(default_factory=list)  # of every severity, in the order found
    files: dict[str, bytes | None] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # the sources' stored texts, for core.timeline.revise
    changed: set[str] | None = None  # what a write in place changed in the output (None: not known)
    stats: dict | None = None  # the output's files kept as they were, by their stat then (unchanged.output)
    held: tuple = ()  # what the run read and made on the way (cli.run lets the process's end free it)

    @property
    def errors(self) -> list[Problem]:
        return lazynotes.of(self.problems, "error")

    @property
    def warnings(self) -> list[Problem]:
        return lazynotes.of(self.problems, "warning")


def run(root: Path, output: Path | None = None, base_url: str | None = None, drafts: bool = False, *,
        write: bool = False, render: bool = True, memo=None, in_place: bool = False, progress=None,
        written=None, listed: tuple[int, list] | None = None) -> Result:
    """The pipeline, for `build`, `check` and the preview: load -> validate -> render -> links -> write.

    What the site gets wrong is never raised: it is in `result.problems`, and nothing is
    rendered after an error in the content, nor written after any error. BuildError is raised
    only when the output folder is refused (`place_output`) or another site is building there.

    `write` writes the site into `output` (default root/output); `render=False` stops after the
    checks of the content. With a `cache.Memo`, work whose inputs did not change since the last
    build is skipped, and files that would come out the same are linked from the last build (see
    incremental.py): those map to None in `result.files`. `in_place` updates the output file by
    file instead of swapping in a new tree (write.update_site: for the live preview's private folder).
    `progress(stage, done, total)` hears how far the run has got (build/progress.py shows it).
    `written(result)` is called after a write without errors, while the output is still locked.
    `listed` is (when, what) of content/ as listed before the run began (build/unchanged.py's look).
    """
    root = Path(root)
    output = Path(output or root / "output")
    if write:  # before the work: a refused output is said at once
        output = place_preview(root, output) if in_place else place_output(root, output)
    if memo is not None:
        memo.start()
    progress = progress or quiet
    # A build that writes the site may start from the last one's timeline (build/snapshot.py).
    kept = memo is not None and memo.store is not None and write and render and not in_place
    reading = snapshot.reuse(memo.store, root, (base_url, drafts), memo.counts, listed) if kept else None
    if reading is not None and reading.snap is not None:
        timeline, problems, texts = reading.snap.timeline, reading.snap.problems, reading.snap.texts  # lazynotes.Notes
        snapshot.seed(reading.snap, memo.digests)
    else:
        timeline, problems, texts = _validated(root, base_url, drafts, memo, progress, early=write and render)
        if timeline is not None and kept and early_memo.let_go(memo, timeline, lambda: snapshot.whole(
                memo.store, reading, (base_url, drafts), timeline, problems, texts, root)):
            reading = None  # the memos and the timeline saved beside now, and let go (build/early.py)
    result = Result(timeline, problems + outside_links(root) + stylesheet_notes(root), texts=texts)
    if timeline is None or result.errors or not render:
        return result
    if not write:
        return _finish(root, output, result, memo=memo, progress=progress)
    with writer.lock(output, root) as output:  # the same site waits its turn; another is refused
        if not in_place:
            place_output(root, output)  # again, now that no other build can change it
            writer.clean_stale(output)  # a killed build's journal applied before its files are judged
        keep = Keep(memo, output, cache.code_stamp(), apart=not in_place) if memo is not None else None
        result = _finish(root, output, result, keep, write=True, in_place=in_place, memo=memo, progress=progress)
        if written is not None and not result.errors:
            written(result)
        result.held = (reading, keep, problems, texts)
        if reading is not None and not result.errors:
            snapshot.keep(memo.store, reading, (base_url, drafts), result.timeline, problems, texts, memo.digests,
                          root)
        return result


def _validated(root: Path, base_url, drafts: bool, memo, progress, early=False) -> tuple[Timeline | None, list, dict]:
    """Read and check the whole content: the timeline (None after an error), the problems, the stored texts."""
    with ahead.meanwhile(root, memo, early) as converted:  # the content's memo read; the Markdown meanwhile
        counted = Counted(memo, progress)
        loaded = load_site(root, counted)
        counted.total = len(loaded.events)
        timeline, problems = validate(loaded, base_url=base_url, drafts=drafts, memo=counted)
        converted(timeline is not None)
    if timeline is not None:  # check reads the image files too: a bad one is the content's mistake
        timeline, found = images.measure(timeline, root, memo)
        problems, timeline = problems + found, None if found else timeline
    return timeline, problems, loaded.texts


def build(root: Path, output: Path | None = None, base_url: str | None = None, drafts: bool = False,
          write: bool = True, memo=None, in_place: bool = False, progress=None, written=None,
          listed: tuple[int, list] | None = None) -> Result:
    """`run`, raising BuildError with the errors when there are any (nothing is written then)."""
    return _raise_errors(run(root, output, base_url, drafts, write=write, memo=memo, in_place=in_place,
                             progress=progress, written=written, listed=listed))


def check(root: Path, base_url: str | None = None, drafts: bool = False, memo=None, progress=None) -> Result:
    """Load and validate a site (no rendering); raise BuildError listing every error found."""
    return _raise_errors(run(root, None, base_url, drafts, render=False, memo=memo, progress=progress))


class Counted:
    """The memo as the core sees it (`read_events`, `check_event`), telling `progress` each file and event;
    without a memo (`--no-cache`, `check`) it runs the core's own functions, as the core would."""

    def __init__(self, memo, progress):
        self.memo, self.progress = memo, progress
        self.read = self.checked = self.total = 0

    def read_events(self, path: Path, root: Path, problems: list, read) -> list:
        self.progress("reading", self.read)
        self.read += 1
        return cache.memoised(self.memo, path, root, problems, read)

    def check_event(self, entry, config, sources: dict, problems: list, check):
        self.progress("checking", self.checked, self.total)
        self.checked += 1
        return cache.validated(self.memo, entry, config, sources, problems, check)


def _raise_errors(result: Result) -> Result:
    if result.errors or result.timeline is None:
        raise BuildError(result.errors)
    return result


# The folders a build reads or keeps, and what each is, for the message that refuses to write there.
_READ = {"content": "the site's entries", "templates": "the site's templates",
         "static": "the site's static files", cache.FOLDER: "the build's cache"}


def _ids(path: Path) -> set[tuple[int, int]]:
    """Return the (device, inode) of `path` and of every folder above it that exists."""
    ids = set()
    for folder in (path, *path.parents):
        with contextlib.suppress(OSError):
            info = os.stat(folder)
            ids.add((info.st_dev, info.st_ino))
    return ids


def _within(path: Path, folder: Path) -> bool:
    """Return True when `path` is `folder` or inside it: by name, or by inode (a bind mount, a hard case)."""
    if path == folder or folder in path.parents:
        return True
    with contextlib.suppress(OSError):
        info = os.stat(folder)
        return (info.st_dev, info.st_ino) in _ids(path)
    return False


def _placement(root: Path, target: Path) -> str:
    """Return how `target` overlaps a folder the build reads ('is content/ (...)'), or ''."""
    root = root.resolve()
    if _within(root, target):
        return "is the site's folder" if _within(target, root) else "holds the site's folder"
    places = [(root / name, f"{name}/ ({what})") for name, what in _READ.items()]
    places += [(THEME / name, f"{name}/ (Dateline's own {name})") for name in ("templates", "static")]
    for folder, name in places:
        folder = folder.resolve()
        if _within(folder, target):
            return f"is {name}" if _within(target, folder) else f"holds {name}"
        if _within(target, folder):
            return f"is inside {name}"
    return ""


def place_output(root: Path, output: Path | None = None) -> Path:
    """Return the folder a build of `root` may replace with its site (links followed), or raise BuildError.

    Refused: the site's folder, its content/, templates/, static/ and cache, Dateline's theme,
    any folder above or inside them, and whatever write.refusal refuses (a file, a folder
    that is not an earlier build, a read-only one).
    """
    root = Path(root)
    output = Path(output or root / "output")
    target = writer.follow(output)
    shown = str(output)
    placement = _placement(root, target)
    if placement:
        raise BuildError([Problem(shown, 0, 0, f"the output folder {placement}: a build replaces its output "
                                  "folder whole", f"build into a folder of its own, such as {root / 'output'}")])
    problem = writer.refusal(target, shown)
    if problem:
        raise BuildError([problem])
    return target


def place_preview(root: Path, output: Path) -> Path:
    """Return the preview's private folder, or raise BuildError when a link leads it elsewhere.

    The preview deletes every file there that the site does not have: a link committed in
    .dateline-cache/ must not turn that on content/ or anything else outside the cache.
    """
    inside = Path(output).absolute().relative_to(Path(root).absolute())
    target = writer.follow(output)
    if target != Path(root).resolve() / inside:
        raise BuildError([Problem(rel(Path(output), Path.cwd()), 0, 0, f"the preview's folder leads to {target} "
                                  "through a symbolic link", f"delete {cache.FOLDER}/: the preview makes it again")])
    return target


def output_problems(root: Path, output: Path | None = None) -> list[Problem]:
    """Return why a build of `root` may not write into `output`: what `check` reports."""
    try:
        place_output(root, output)
    except BuildError as exc:
        return exc.problems
    return []


def _finish(root: Path, output: Path, result: Result, keep: Keep | None = None, write: bool = False,
            in_place: bool = False, memo=None, progress=quiet) -> Result:
    """Render the checked site, check its links, and write what changed into `output` (no error found).

    When a new tree will be swapped in (most pages drawn again, not the preview), the pages are
    written into it as they are drawn (`streamed`); it is removed if anything fails."""
    new_tree: list[Path] = []  # the one the pages are written into, once made

    def streamed(drawn: int, pages: int) -> str | None:
        if not write or in_place or drawn < STREAM or drawn * journal.SHARE <= pages:
            return None
        new_tree.append(writer.start_tree(output))
        return str(new_tree[0])
    try:
        return _written(root, output, result, keep, write, in_place, memo, progress, streamed, new_tree)
    finally:
        if new_tree and new_tree[0].exists():  # not swapped in (an error): none of it stays
            writer.remove_tree(new_tree[0])
        if write:
            beside.remove_spills(output)  # the exports written beside: taken into the site, or not wanted


def _written(root, output, result, keep, write, in_place, memo, progress, streamed, new_tree) -> Result:
    try:
        result.files = render_site(result.timeline, root, keep, progress, streamed)
        result.files.update(images.outputs(result.timeline, root, memo.store if memo is not None else None))
    except BuildError as exc:  # the templates' problems, one per template line
        result.problems += exc.problems
        return result
    result.copies = static_files(root)
    store = memo.store if memo is not None else None
    result.files.update(minified(result.copies, store))  # the static CSS and JS, smaller; the rest copied
    same = keep is not None and keep.unchanged(result.files, result.copies)
    if not same:  # else the output holds these very files, checked when they were written
        progress("checking links")
        base, unquoted = result.timeline.config.base_url, result.timeline.config.minify_html
        broken = (keep.check_links(result.files, result.copies, base, unquoted) if keep
                  else check_links(result.files, base, result.copies, unquoted=unquoted, spread=parallel.spread))
        if broken:
            result.problems += broken
            return result
    left = not in_place  # the kept files left where they were compared: their stats still hold
    if write and not same:  # in place for the preview; else a new tree, or a journal when little changed
        progress("writing")
        gone = keep.gone(result.files, result.copies) if keep else None
        with keep.writing() if keep else contextlib.nullcontext():
            if in_place:
                result.changed = update_site(output, result.files, result.copies, gone)
            else:  # through the journal, or a new tree: every file linked or written anew
                left = write_site(output, result.files, result.copies, gone, *new_tree)
        beside.remove_spills(output)  # before the record: a name of an export's file that goes moves its ctime
    if keep is not None:
        keep.record(result.files, result.copies)
        result.stats = keep.stats if left else None
        if memo.store is not None and not in_place:  # saved now, beside: the record is this build's last word
            cache.save_outputs(memo.store, memo)
    return result
