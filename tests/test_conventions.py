"""The code's shape: imports point down the layers, views never import each other, no cycles,
every blueprint defined in its package's `__init__.py`, YAML read in one place.

Read with `ast`, so a violation fails here before it becomes a tangle. The order is the README's
architecture picture: a package may import the packages before it, never those after it.
"""

from __future__ import annotations

import ast
import functools
from collections import defaultdict
from pathlib import Path

from portal.config import ROOT

# Lowest first. `core` holds the infrastructure every area uses (db, config and i18n count as core).
LAYERS = (
    "core",
    "accounts",
    "regions",
    "search",
    "policies",
    "publishing",
    "places",
    "operators",
    "events",
    "eligibility",
    "service_points",
    "alerts",
    "content",
    "opendata",
    "dashboard",
    "staff",
    "api",
    "home",
    "app",
)
TOP_MODULES = {"db": "core", "config": "core", "i18n": "core", "cli": "app", "__init__": "app"}


def _area(parts: list[str]) -> str:
    if len(parts) == 1:
        return "app"
    if len(parts) == 2 or parts[1] in TOP_MODULES:
        return TOP_MODULES.get(parts[1], parts[1])
    return parts[1]


@functools.cache
def _tree(path: Path) -> ast.Module:
    """The parsed module (each test reads every module: parsed once for all of them)."""
    return ast.parse(path.read_text(encoding="utf-8"))


@functools.cache
def _imports(path: Path) -> list[list[str]]:
    """Module paths imported by `path`, skipping type-checking-only imports."""
    tree = _tree(path)
    skipped = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If)
        and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING"
        for n in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "portal":
            if node.module == "portal":
                found += [["portal", alias.name] for alias in node.names]
            else:
                found.append(node.module.split("."))
                # `from portal.places import views` imports the views module itself.
                found += [
                    [*node.module.split("."), alias.name] for alias in node.names if _is_view([alias.name])
                ]
        elif isinstance(node, ast.Import):
            found += [alias.name.split(".") for alias in node.names if alias.name.startswith("portal.")]
    return found


def _modules():
    for path in sorted((ROOT / "portal").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        yield path, parts


def _is_view(parts: list[str]) -> bool:
    return parts[-1] == "views" or parts[-1].endswith("_views")


def test_imports_point_down_the_layers():
    wrong = []
    for path, parts in _modules():
        source = _area(parts)
        for target_parts in _imports(path):
            target = _area(target_parts)
            if target == source or source == "app":
                continue
            assert target in LAYERS, f"{target} is not placed in LAYERS (tests/test_conventions.py)"
            assert source in LAYERS, f"{source} is not placed in LAYERS (tests/test_conventions.py)"
            if LAYERS.index(target) > LAYERS.index(source):
                wrong.append(f"{'.'.join(parts)} ({source}) imports {'.'.join(target_parts)} ({target})")
    assert not wrong, "imports pointing up the layers:\n" + "\n".join(wrong)


def test_core_imports_no_feature_area():
    for path, parts in _modules():
        if _area(parts) == "core":
            assert {_area(t) for t in _imports(path)} <= {"core"}, path


def test_views_do_not_import_other_areas_views():
    wrong = []
    for path, parts in _modules():
        for target in _imports(path):
            if _is_view(target) and _area(target) != _area(parts) and _area(parts) != "app":
                wrong.append(f"{'.'.join(parts)} imports {'.'.join(target)}")
    assert not wrong, "\n".join(wrong)


def test_no_package_cycles():
    edges = defaultdict(set)
    for path, parts in _modules():
        for target in _imports(path):
            a, b = _area(parts), _area(target)
            if a != b:
                edges[a].add(b)

    def reaches(start, goal, seen=()):
        return any(n == goal or (n not in seen and reaches(n, goal, (*seen, n))) for n in edges[start])

    cycles = sorted(a for a in list(edges) if reaches(a, a))
    assert not cycles, f"packages in an import cycle: {cycles}"


def test_blueprints_are_defined_in_package_inits():
    """Reading a package's `__init__.py` (and the factory) shows every blueprint and its routes."""
    wrong = []
    for path, parts in _modules():
        if path.name == "__init__.py":
            continue
        for node in ast.walk(_tree(path)):
            called = getattr(node, "func", None)
            if getattr(called, "id", getattr(called, "attr", "")) == "Blueprint":
                wrong.append(f"{'.'.join(parts)} line {node.lineno}")
    assert not wrong, "blueprints defined outside a package's __init__.py:\n" + "\n".join(wrong)


def test_yaml_is_parsed_in_one_place():
    """Every YAML file is read through portal/core/content_files.py, with libyaml's C parser:
    `yaml.safe_load` builds the pure-Python parser, several times slower on the content files."""
    wrong = []
    for path, parts in _modules():
        if parts[-2:] == ["core", "content_files"]:
            continue
        for node in ast.walk(_tree(path)):
            called = getattr(node, "func", None)
            if (
                getattr(called, "attr", "") in {"safe_load", "load", "full_load", "unsafe_load"}
                and getattr(getattr(called, "value", None), "id", "") == "yaml"
            ):
                wrong.append(f"{'.'.join(parts)} line {node.lineno}")
    assert not wrong, "YAML parsed outside portal.core.content_files:\n" + "\n".join(wrong)
