"""The pipeline: load -> validate -> render -> write. `check` is the same without the writing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import cache
from .errors import BuildError, Problem
from .incremental import Keep
from .links import check_links
from .load import load_site
from .model import Timeline
from .render import THEME, render_site
from .validate import validate
from .write import update_site, write_site


@dataclass
class Result:
    """What a build or check produced: the timeline, the warnings, and the pages."""

    timeline: Timeline
    warnings: list[Problem] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)


def check(root: Path, base_url: str | None = None, drafts: bool = False, memo=None) -> Result:
    """Load and validate a site; raise BuildError listing every error found."""
    timeline, problems = validate(load_site(root, memo), base_url=base_url, drafts=drafts, memo=memo)
    errors = [p for p in problems if p.severity == "error"]
    if errors or timeline is None:
        raise BuildError(errors)
    return Result(timeline, [p for p in problems if p.severity == "warning"])


def inspect(root: Path, base_url: str | None = None, drafts: bool = False) -> tuple[Timeline | None, list[Problem]]:
    """Run the whole pipeline except the writing; return the timeline and every problem of any severity."""
    root = Path(root)
    timeline, problems = validate(load_site(root), base_url=base_url, drafts=drafts)
    if timeline is not None:  # pages and links can only be checked once the content is sound
        try:
            files = render_site(timeline, root)
            problems = problems + check_links(files, timeline.config.base_url, static_files(root))
        except BuildError as exc:
            problems = problems + exc.problems
    return timeline, problems


def static_files(root: Path) -> dict[str, Path]:
    """Map output paths under static/ to files: the theme's, then the site's over them."""
    copies: dict[str, Path] = {}
    for folder in dict.fromkeys((THEME / "static", Path(root) / "static")):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    copies["static/" + path.relative_to(folder).as_posix()] = path
    return copies


def build(root: Path, output: Path | None = None, base_url: str | None = None,
          drafts: bool = False, write: bool = True, memo=None, in_place: bool = False) -> Result:
    """Build the site at `root` into `output` (default root/output); nothing is written on error.

    With a `cache.Memo`, work whose inputs did not change since the last build is skipped, and
    files that would come out the same are linked from the last build (see incremental.py):
    those map to None in `result.files`. `in_place` updates the output file by file instead of
    swapping in a new tree (write.update_site: for the live preview's private folder).
    """
    root = Path(root)
    output = Path(output or root / "output")
    if memo is not None:
        memo.start()
    result = check(root, base_url, drafts, memo)
    keep = Keep(memo, output, cache.code_stamp()) if memo is not None and write else None
    result.files = render_site(result.timeline, root, keep)
    result.copies = static_files(root)
    same = keep is not None and keep.unchanged(result.files, result.copies)
    if not same:  # else the output holds these very files, checked when they were written
        base = result.timeline.config.base_url
        broken = (keep.check_links(result.files, result.copies, base) if keep
                  else check_links(result.files, base, result.copies))
        if broken:
            raise BuildError(broken)
    if write and not same and in_place:
        update_site(output, result.files, result.copies, keep.gone(result.files, result.copies) if keep else None)
    elif write and not same:
        write_site(output, result.files, result.copies)
    if keep is not None:
        keep.record(result.files, result.copies)
    return result
