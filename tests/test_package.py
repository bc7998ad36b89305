"""Top-level API, version and the one-way import rule of DESIGN.md."""

import ast
import importlib.metadata
import pathlib
import re

import pytest

import gankit

ROOT = pathlib.Path(__file__).resolve().parents[1]

# What each package may import from this project (DESIGN.md: layers -> losses
# -> models -> training; metrics, viz, hub and data_loaders never import
# training; data_loaders never imports gankit).
ALLOWED = {
    "gankit/layers": {"gankit.layers"},
    "gankit/losses": {"gankit.layers", "gankit.losses"},
    "gankit/models": {"gankit.layers", "gankit.losses", "gankit.models"},
    "gankit/training": {"gankit.layers", "gankit.losses", "gankit.models", "gankit.training", "gankit.viz"},
    "gankit/viz": {"gankit.viz"},
    "gankit/hub": {"gankit.hub", "gankit.viz"},
    # Loaders are imported lazily, only to evaluate against a dataset by name.
    "gankit/metrics": {"gankit.metrics", "data_loaders"},
    "data_loaders": {"data_loaders"},
}


def _project_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in ("gankit", "data_loaders"):
            names = [f"{node.module}.{alias.name}" for alias in node.names]  # from gankit import losses
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            if name.split(".")[0] in ("gankit", "data_loaders"):
                yield name


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_go_one_way(package):
    files = sorted((ROOT / package).rglob("*.py"))
    assert files
    for path in files:
        for name in _project_imports(path):
            assert any(name == allowed or name.startswith(allowed + ".") for allowed in ALLOWED[package]), (
                f"{path.relative_to(ROOT)} imports {name}"
            )


def test_top_level_names():
    assert sorted(gankit.__all__) == ["__version__", "hub", "layers", "losses", "metrics", "models", "training", "viz"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", gankit.__version__)


def test_installed_metadata_matches_package_version():
    # setup.py reads the version from gankit/__init__.py; the installed
    # distribution must carry the same one.
    assert importlib.metadata.version("gankit") == gankit.__version__
