"""The layout shows the architecture (issue 21): one folder a layer under scripts/, packages that
import without sys.path edits, and no import circle anywhere in them (late imports inside functions
count too: a circle hidden in a function is still a circle)."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
LAYERS = {"reconcile": "the engine", "website": "the site layer", "bench": "the benchmarks"}


def module_files(scripts: Path) -> dict[str, Path]:
    mods = {}
    for path in scripts.rglob("*.py"):
        parts = list(path.relative_to(scripts).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            mods[".".join(parts)] = path
    return mods


def _type_checking_only(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return True
    return False


def import_graph(scripts: Path) -> dict[str, set[str]]:
    """Module -> the project modules it imports, at any depth of the code (not `if TYPE_CHECKING:`)."""
    mods = module_files(scripts)
    graph = {}
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                names = [target, *(f"{target}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if _type_checking_only(node, parents):
                continue
            found |= {n for n in names if n in mods and n != name and not name.startswith(n + ".")}
        graph[name] = found
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    component.append(w)
                    if w == v:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_circle_in_the_project():
    graph = import_graph(SCRIPTS)
    assert len(graph) > 30, "the walker found too few modules to mean anything"
    assert circles(graph) == []


def test_the_circle_finder_finds_a_circle_even_in_a_late_import(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import x\n")
    (pkg / "b.py").write_text("def x():\n    from . import c\n")
    (pkg / "c.py").write_text("import pkg.a\n")
    (pkg / "d.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import y\n")
    graph = import_graph(tmp_path)
    assert graph["pkg.d"] == set()
    assert circles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_one_folder_a_layer():
    folders = sorted(p.name for p in SCRIPTS.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert folders == sorted(LAYERS)
    loose = sorted(p.name for p in SCRIPTS.glob("*.py"))
    assert loose == ["disagreements.py"], "only the command lives at the top of scripts/"
    # the engine knows nothing of the site layer, MkDocs or the benchmarks
    graph = import_graph(SCRIPTS)
    engine = {m for m in graph if m.split(".")[0] == "reconcile"}
    assert not {t for m in engine for t in graph[m] if t.split(".")[0] != "reconcile"}
    for module in engine:
        text = module_files(SCRIPTS)[module].read_text(encoding="utf-8")
        assert "import mkdocs" not in text and "from mkdocs" not in text, module


@pytest.mark.parametrize("module", ["reconcile.pipeline", "website.shortcodes", "website.build_pdf", "bench.engine"])
def test_packages_import_without_sys_path_edits(module, tmp_path):
    """From another folder, with the venv's Python: the .pth that `make setup` writes is all it takes."""
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for path in SCRIPTS.rglob("*.py"):
        assert "sys.path.insert" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("module", ["website.shortcodes", "website.pagecontext", "website.cells", "website.timeline"])
def test_page_rendering_knows_nothing_of_mkdocs(module):
    """The shortcodes are a plain function of the findings: the hooks hand them a Page and the addresses."""
    graph = import_graph(SCRIPTS)
    text = module_files(SCRIPTS)[module].read_text(encoding="utf-8")
    assert "mkdocs" not in {t.split(".")[0] for t in graph[module]}
    assert not re.search(r"^\s*(from|import) mkdocs", text, re.M)


@pytest.mark.parametrize("url,base", [("treatment/cerclage/", "index.html"), ("treatment/cerclage/", "treatment/"),
                                      ("guidance/", "sources/003/"), ("index.html", "about/causes/"),
                                      ("about/causes.html", "treatment/cerclage.html"), ("help-now/", "."),
                                      ("sources/", "sources/")])
def test_relative_links_are_the_ones_mkdocs_makes(url, base):
    from mkdocs.utils import get_relative_url

    from website.pagecontext import relative_url

    assert relative_url(url, base) == get_relative_url(url, base)
