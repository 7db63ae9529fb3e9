"""The project's modules and what they import, read with ``ast`` (no import
runs), for the layer contracts in ``tests/test_layers.py``.

What counts as an import: every ``import`` and ``from … import`` statement,
at module level or inside a function, method or ``try`` — Python runs those,
so they tie modules together as much as the ones at the top. Left out are
imports under ``if TYPE_CHECKING:`` (they never run) and imports by string
(``import_module``, settings, URL names), which this project does not use
across apps. An import names the module it loads: ``from a.b import c`` is
``a.b.c`` when that is a module of ours and ``a.b`` otherwise; the packages
Python loads on the way (``a``) are not counted, as import-linter does not,
or every ``__init__`` that re-exports its submodules would be a cycle.
"""

import ast
import functools
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The project's packages; the ones issue 14 adds are read once they exist.
PACKAGES = ("prioritering", "notices", "documents", "rounds", "ranking", "followup", "demo")

# Not part of the running app: schema history, and code that only tests run.
SKIPPED_DIRECTORIES = {"migrations", "tests", "bench", "__pycache__"}


@dataclass(frozen=True)
class Module:
    name: str
    path: Path  # relative to the project's root, for messages
    tree: ast.Module

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"

    @property
    def app(self) -> str:
        return self.name.partition(".")[0]

    def where(self, line: int) -> str:
        return f"{self.path}:{line}"


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int


def read_modules(root: Path = ROOT) -> dict[str, Module]:
    """Every module of the project's packages under ``root``, by dotted name."""
    modules = {}
    for package in PACKAGES:
        if not (root / package / "__init__.py").exists():
            continue
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if SKIPPED_DIRECTORIES.intersection(parts):
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            name = ".".join(parts)
            tree = ast.parse(path.read_bytes(), str(path))
            modules[name] = Module(name, path.relative_to(root), tree)
    return modules


@functools.cache
def project() -> dict[str, Module]:
    return read_modules()


def nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of ``tree`` that runs: like ``ast.walk``, but without the
    body of ``if TYPE_CHECKING:`` (its ``else`` runs, and is kept)."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for node in child.orelse:
                yield node
                yield from nodes(node)
            continue
        yield child
        yield from nodes(child)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    """The dotted name ``from … import`` starts at, relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = module.name if module.is_package else module.name.rpartition(".")[0]
    parts = package.split(".")
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _longest_module(name: str, modules: dict[str, Module]) -> str | None:
    """The longest prefix of the dotted ``name`` that is one of our modules."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def imports_of(module: Module, modules: dict[str, Module]) -> list[Import]:
    """The project modules ``module`` imports, one entry per name and line."""
    found = []
    for node in nodes(module.tree):
        if isinstance(node, ast.Import):
            targets = [_longest_module(alias.name, modules) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            targets = [
                f"{base}.{alias.name}"
                if f"{base}.{alias.name}" in modules
                else _longest_module(base, modules)
                for alias in node.names
            ]
        else:
            continue
        found += [
            Import(module.name, target, node.lineno)
            for target in targets
            if target and target != module.name
        ]
    return found


@functools.cache
def project_imports() -> tuple[Import, ...]:
    modules = project()
    return tuple(found for module in modules.values() for found in imports_of(module, modules))


def edges(imports) -> dict[tuple[str, str], list[int]]:
    """(importer, imported) → the lines of the importer that import it."""
    found: dict[tuple[str, str], list[int]] = {}
    for each in imports:
        found.setdefault((each.source, each.target), []).append(each.line)
    return found


def knots(imports) -> list[frozenset[str]]:
    """The module cycles: strongly connected components of more than one
    module (Tarjan's algorithm)."""
    graph: dict[str, set[str]] = {}
    for source, target in edges(imports):
        graph.setdefault(source, set()).add(target)
        graph.setdefault(target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def shortest_cycle(knot: frozenset[str], imports) -> list[str]:
    """One shortest way round ``knot``, from its first module back to it."""
    graph: dict[str, list[str]] = {}
    for source, target in sorted(edges(imports)):
        if source in knot and target in knot:
            graph.setdefault(source, []).append(target)
    start = min(knot)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in graph.get(node, []):
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if target not in came_from:
                came_from[target] = node
                queue.append(target)
    raise AssertionError(f"{sorted(knot)} is not a cycle")


def _names(module: Module) -> dict[str, str]:
    """What the names a module imports stand for, in any of its scopes:
    ``{"audit": "prioritering.audit", "save_as": "prioritering.audit.save_as"}``."""
    names = {}
    for node in nodes(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    head = alias.name.partition(".")[0]
                    names[head] = head
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            for alias in node.names:
                names[alias.asname or alias.name] = f"{base}.{alias.name}"
    return names


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        value = _dotted(node.value)
        return f"{value}.{node.attr}" if value else None
    return None


def uses(module: Module, qualified: set[str], attributes: set[str]) -> list[tuple[int, str]]:
    """Where ``module`` uses one of the ``qualified`` names (however it
    imported it: ``save_as``, ``audit.save_as``, an alias), or an attribute
    named in ``attributes`` of anything (``.objects``)."""
    names = _names(module)
    found = []
    for node in nodes(module.tree):
        if isinstance(node, ast.Attribute) and node.attr in attributes:
            found.append((node.end_lineno or node.lineno, f".{node.attr}"))
            continue
        if not isinstance(node, ast.Name | ast.Attribute) or isinstance(node.ctx, ast.Store):
            continue
        dotted = _dotted(node)
        if dotted is None:
            continue
        head, _, rest = dotted.partition(".")
        if head in names:
            resolved = ".".join(filter(None, [names[head], rest]))
            if resolved in qualified:
                found.append((node.lineno, resolved))
    return found


def method_calls(module: Module, methods: set[str]) -> list[tuple[int, str]]:
    """Where ``module`` calls a method named in ``methods`` on anything."""
    return [
        (node.func.end_lineno or node.lineno, f".{node.func.attr}()")
        for node in nodes(module.tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in methods
    ]
