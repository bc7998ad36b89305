"""Pins the public API of gankit.viz, runs its docstring examples, checks its imports."""

import ast
import doctest
import importlib
import inspect
import pathlib
import re
import tempfile

import imageio.v3 as iio
import numpy as np
import pytest

import gankit.viz

EXPECTED_ALL = [
    "image_grid",
    "interpolate_latents",
    "interpolation_strip",
    "plot_losses",
    "save_image_grid",
    "to_uint8",
    "write_gif",
    "write_images",
]
MODULES = ["animation", "export", "grids", "interpolation", "plots"]


def _documented_arguments(doc):
    """Names in the docstring's `Args:` section, in order."""
    section = doc.split("Args:\n", 1)[1]
    section = re.split(r"\n\s*\n\s{0,4}\w[\w ]*:\n", section)[0]
    return re.findall(r"^ {8}(\w+):", section, re.M)


def test_all_is_pinned():
    assert sorted(gankit.viz.__all__) == EXPECTED_ALL


@pytest.mark.parametrize("name", EXPECTED_ALL)
def test_every_public_name_is_documented(name):
    doc = getattr(gankit.viz, name).__doc__
    for section in ("Args:", "Returns:", "Raises:", "Example:"):
        assert section in doc, f"{name} lacks {section}"


@pytest.mark.parametrize("name", EXPECTED_ALL)
def test_documented_arguments_match_the_signature(name):
    function = getattr(gankit.viz, name)
    assert _documented_arguments(function.__doc__) == list(inspect.signature(function).parameters)


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module, tmp_path, monkeypatch):
    # The examples write into tempfile.mkdtemp(); keep them inside tmp_path.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    module = importlib.import_module(f"gankit.viz.{module}")
    namespace = {**vars(module), "np": np, "iio": iio}
    result = doctest.testmod(module, globs=namespace, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_viz_imports_no_other_gankit_package():
    # DESIGN.md: viz never imports training (nor, here, anything else of gankit but its argument checks).
    package = pathlib.Path(gankit.viz.__file__).parent
    for path in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                if name.split(".")[0] == "gankit":
                    assert name.startswith("gankit.viz") or name == "gankit._checks", f"{path.name} imports {name}"
