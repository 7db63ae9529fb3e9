"""The code's layers, read from the source (``tests/layers.py``):

- no module cycles;
- no upward import: a lower app never imports a higher one, in the order
  ``documents → rounds → ranking → followup → demo`` (``prioritering``, the
  project, stands outside the order; it takes part in the cycle check);
- only services write audited models (the write helpers of
  ``prioritering.audit``), and the few other modules named below that write
  on purpose;
- template tags format and never query.

Issue 14 brought the tree to none of each; any violation fails, naming the
file and line of every import or call that breaks the contract.
"""

import ast
import fnmatch
import itertools
import textwrap

import pytest

from tests import layers

APP_ORDER = ("notices", "documents", "rounds", "ranking", "followup", "demo")

# --- what the contracts look for ------------------------------------------------------

# The calls that write an audited model with its history row naming who acted:
# prioritering.audit's helpers, and simple-history's own bulk writers.
WRITE_HELPERS = {
    "prioritering.audit.save_as",
    "prioritering.audit.delete_as",
    "prioritering.audit.set_m2m_as",
    "simple_history.utils.bulk_create_with_history",
    "simple_history.utils.bulk_update_with_history",
}
WRITE_METHODS = {"bulk_history_create"}  # Model.history.bulk_history_create(...)

# Who writes audited models besides the services, and why. Data migrations
# write too, with the historical models; they are not read (tests/layers.py).
ALLOWED_WRITERS = {
    "*.services": "an app's services, in one module",
    "*.services.*": "an app's services, a module per area",
    "rounds.importing.service": (
        "the importer's service: one transaction stores a whole file, its history "
        "written in bulk beside it"
    ),
    "*.management.commands.*": "commands act outside a request, as a named user",
    "demo": "the demo app writes the demo municipality as its cast would",
    "demo.*": "the demo app writes the demo municipality as its cast would",
}

# A template tag module that reaches the database: a manager, a queryset
# method (names no dict, list, set or str has), or the connection.
MANAGER_ATTRIBUTES = {"objects", "_default_manager", "_base_manager"}
QUERYSET_METHODS = {
    "aggregate",
    "alias",
    "all",
    "annotate",
    "bulk_create",
    "bulk_update",
    "dates",
    "datetimes",
    "defer",
    "distinct",
    "earliest",
    "exclude",
    "exists",
    "extra",
    "filter",
    "first",
    "get_or_create",
    "in_bulk",
    "iterator",
    "last",
    "latest",
    "only",
    "order_by",
    "prefetch_related",
    "raw",
    "select_for_update",
    "select_related",
    "update_or_create",
    "values_list",
}
DATABASE_NAMES = {"django.db.connection", "django.db.connections"}


# --- the contracts --------------------------------------------------------------------


def test_no_module_cycles():
    imports = layers.project_imports()
    lines = layers.edges(imports)
    modules = layers.project()
    found = {}
    for knot in layers.knots(imports):
        way = layers.shortest_cycle(knot, imports)
        steps = [
            f"    {modules[a].where(lines[a, b][0])}: {a} imports {b}"
            for a, b in itertools.pairwise(way)
        ]
        others = sorted(knot - set(way))
        also = f"\n    (the knot also holds {', '.join(others)})" if others else ""
        found[knot] = f"cycle of {len(knot)} modules:\n" + "\n".join(steps) + also
    _none(found, "module cycles")


def test_no_upward_imports():
    modules = layers.project()
    found = {}
    for (source, target), lines in layers.edges(layers.project_imports()).items():
        low, high = modules[source].app, modules[target].app
        if low in APP_ORDER and high in APP_ORDER and APP_ORDER.index(low) < APP_ORDER.index(high):
            where = ", ".join(modules[source].where(line) for line in sorted(set(lines)))
            found[source, target] = f"{where}: {source} ({low}) imports {target} ({high})"
    _none(found, f"upward imports (the order is {' → '.join(APP_ORDER)})")


def test_only_services_write_audited_models():
    found = {}
    for name, module in layers.project().items():
        if _allowed_writer(name):
            continue
        writes = layers.uses(module, WRITE_HELPERS, set()) + layers.method_calls(
            module, WRITE_METHODS
        )
        if writes:
            found[name] = _listed(module, writes, "writes an audited model")
    _none(found, "writers of audited models outside the services (ALLOWED_WRITERS)")


def test_template_tags_do_not_query():
    found = {}
    for name, module in layers.project().items():
        if ".templatetags" not in f".{name}":
            continue
        queries = layers.uses(module, DATABASE_NAMES, MANAGER_ATTRIBUTES) + layers.method_calls(
            module, QUERYSET_METHODS
        )
        if queries:
            found[name] = _listed(module, queries, "queries the database")
    _none(found, "template tag modules that query (read in a selector, format in the tag)")


def test_the_write_helpers_are_all_of_audits():
    """A new helper in prioritering.audit that names the user of a history row
    joins WRITE_HELPERS, or the writers contract would not see it."""
    audit = layers.project()["prioritering.audit"]
    naming_the_user = {
        f"prioritering.audit.{function.name}"
        for function in audit.tree.body
        if isinstance(function, ast.FunctionDef)
        and any(
            isinstance(node, ast.Attribute) and node.attr == "_history_user"
            for node in ast.walk(function)
        )
    }
    assert naming_the_user, "prioritering.audit no longer names the history's user"
    missing = naming_the_user - WRITE_HELPERS
    assert not missing, f"add to WRITE_HELPERS in tests/test_layers.py: {sorted(missing)}"


# --- the reader sees imports as Python runs them ---------------------------------------


def _tree(tmp_path, files: dict[str, str]):
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    modules = layers.read_modules(tmp_path)
    return [
        (each.source, each.target)
        for module in modules.values()
        for each in layers.imports_of(module, modules)
    ]


def test_reader_resolves_relative_imports_and_submodules(tmp_path):
    imports = _tree(
        tmp_path,
        {
            "rounds/__init__.py": "",
            "rounds/views/__init__.py": "",
            "rounds/views/a.py": "from . import b\nfrom ..models import Thing\n",
            "rounds/views/b.py": "import rounds.models\nfrom rounds.views.c import helper\n",
            "rounds/views/c.py": "",
            "rounds/models.py": "from django.db import models\n",
            "rounds/migrations/0001_initial.py": "import ranking.models\n",
            "ranking/__init__.py": "",
            "ranking/models.py": "",
        },
    )
    assert sorted(imports) == [
        ("rounds.views.a", "rounds.models"),
        ("rounds.views.a", "rounds.views.b"),
        ("rounds.views.b", "rounds.models"),
        ("rounds.views.b", "rounds.views.c"),
    ]


def test_reader_counts_imports_in_functions_but_not_type_checking(tmp_path):
    imports = _tree(
        tmp_path,
        {
            "rounds/__init__.py": "",
            "rounds/a.py": """\
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from ranking import typed
                else:
                    from ranking import fallback
                class View:
                    def get(self):
                        from ranking import late
                """,
            "ranking/__init__.py": "",
            "ranking/typed.py": "",
            "ranking/fallback.py": "",
            "ranking/late.py": "import rounds.a\n",
        },
    )
    assert sorted(imports) == [
        ("ranking.late", "rounds.a"),
        ("rounds.a", "ranking.fallback"),
        ("rounds.a", "ranking.late"),
    ]
    knots = layers.knots(layers.Import(a, b, 1) for a, b in imports)
    assert knots == [frozenset({"rounds.a", "ranking.late"})]


# --- helpers ---------------------------------------------------------------------------


def _allowed_writer(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in ALLOWED_WRITERS)


def _listed(module: layers.Module, hits, what: str) -> str:
    shown = "; ".join(f"{module.where(line)} {name}" for line, name in sorted(set(hits)))
    return f"{module.name} {what}: {shown}"


def _none(found: dict, what: str) -> None:
    if found:
        lines = "\n".join(f"  {text}" for text in sorted(found.values()))
        pytest.fail(f"{len(found)} {what}:\n{lines}", pytrace=False)
