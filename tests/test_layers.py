"""The shape of the package: the core stands alone, no frozen object is written to, modules stay small."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dateline"
OUTER = ("dateline.build", "dateline.render", "dateline.preview", "dateline.cli", "dateline.pipeline",
         "jinja2", "markupsafe")
MAX_LINES = 300


def modules(folder: Path = PACKAGE):
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def imported(path: Path) -> set[str]:
    """Return the absolute names of the modules `path` imports (relative imports resolved)."""
    package = ["dateline", *path.relative_to(PACKAGE).parent.parts]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_the_core_imports_nothing_from_the_outer_layers():
    wrong = {f"{p.relative_to(PACKAGE)}: {name}" for p in modules(PACKAGE / "core") for name in imported(p)
             if any(name == outer or name.startswith(outer + ".") for outer in OUTER)}
    assert not wrong, sorted(wrong)


def test_no_frozen_object_is_written_to():
    needle = "object." + "__setattr__"
    assert not [str(p.relative_to(PACKAGE)) for p in modules() if needle in p.read_text(encoding="utf-8")]


def test_no_module_is_over_300_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


def test_the_import_check_sees_relative_imports():
    core = imported(PACKAGE / "core" / "model.py")
    assert "dateline.core.config" in core


def test_the_developers_map_names_every_module():
    guide = (PACKAGE.parent / "DEVELOPERS.md").read_text(encoding="utf-8")
    unnamed = [str(p.relative_to(PACKAGE)) for p in modules() if p.name != "__init__.py" and f"`{p.name}`" not in guide]
    assert not unnamed, f"DEVELOPERS.md does not name {unnamed}"
