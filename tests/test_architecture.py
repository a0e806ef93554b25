"""The layout of engine/ is part of the design: data flows one way through the stages.

A module may import from its own stage and from earlier ones, never from a later one, and
no import circle exists. The stages and their order are declared once, in engine/__init__.py
(`STAGES`), and shown in docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import patuh

# The checkout's engine/ (the installed package is a copy of it, without docs/).
ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "engine"


def _modules() -> dict[str, Path]:
    modules = {}
    for file in ENGINE.rglob("*.py"):
        parts = [part for part in file.relative_to(ENGINE).with_suffix("").parts if part != "__init__"]
        modules[".".join(parts)] = file
    return modules


def _imports(name: str, file: Path, known: set[str]) -> set[str]:
    """The patuh modules `name` imports (relative or absolute), anywhere in the file."""
    package = name.split(".") if file.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(file.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + (node.module.split(".") if node.module else []))
            elif node.module and node.module.split(".")[0] == "patuh":
                target = node.module.removeprefix("patuh").lstrip(".")
            else:
                continue
            candidates = [target] + [f"{target}.{alias.name}".lstrip(".") for alias in node.names]
        elif isinstance(node, ast.Import):
            candidates = [alias.name.removeprefix("patuh.") for alias in node.names if alias.name.startswith("patuh.")]
        else:
            continue
        found.update(candidate for candidate in candidates if candidate in known and candidate != name)
    return found


def _stage(module: str) -> str:
    return module.split(".")[0] if module else ""


def test_every_module_belongs_to_a_declared_stage():
    stages = set(patuh.STAGES)
    strays = sorted(module for module in _modules() if module and _stage(module) not in stages)
    assert not strays, f"modules outside the stages of engine/__init__.py STAGES: {strays}"
    declared_but_absent = sorted(stage for stage in stages if not any(_stage(m) == stage for m in _modules()))
    assert not declared_but_absent, f"stages declared with no module: {declared_but_absent}"


def test_no_module_imports_from_a_later_stage():
    order = {stage: position for position, stage in enumerate(patuh.STAGES)}
    modules = _modules()
    backwards = []
    for name, file in modules.items():
        if not name:
            continue
        for imported in _imports(name, file, set(modules)):
            if imported and order[_stage(imported)] > order[_stage(name)]:
                backwards.append(f"{name} imports {imported}")
    assert not backwards, "data flows one way; these imports go back:\n" + "\n".join(sorted(backwards))


def test_no_import_circle():
    modules = _modules()
    edges = {name: _imports(name, file, set(modules)) for name, file in modules.items()}
    state: dict[str, int] = {}
    circles = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for imported in edges[name]:
            if state.get(imported) == 1:
                circles.append(" -> ".join(path[path.index(imported):] + [imported]))
            elif imported not in state:
                visit(imported, path + [imported])
        state[name] = 2

    for name in edges:
        if name not in state:
            visit(name, [name])
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_the_architecture_document_names_every_stage():
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [stage for stage in patuh.STAGES if f"`{stage}" not in text]
    assert not missing, f"docs/ARCHITECTURE.md does not describe: {missing}"
