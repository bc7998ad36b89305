"""Top-level API, version and the one-way import rule of DESIGN.md."""

import ast
import importlib.metadata
import pathlib
import re
import subprocess
import sys

import keras
import numpy as np
import pytest

import gankit

ROOT = pathlib.Path(__file__).resolve().parents[1]

# What each package may import from this project (gankit/__init__.py's
# docstring: layers -> losses -> engine -> models -> training; metrics, viz,
# hub and data_loaders never import the engine or training). `gankit._checks`,
# the argument checks, sits below them all and imports nothing from the
# project; data_loaders imports nothing else of gankit.
ALLOWED = {
    "gankit/layers": {"gankit.layers"},
    "gankit/losses": {"gankit.layers", "gankit.losses"},
    "gankit/engine": {"gankit.layers", "gankit.losses", "gankit.engine"},
    "gankit/models": {"gankit.layers", "gankit.losses", "gankit.engine", "gankit.models"},
    "gankit/training": {
        "gankit.layers",
        "gankit.losses",
        "gankit.engine",
        "gankit.models",
        "gankit.training",
        "gankit.viz",
    },
    "gankit/viz": {"gankit.viz"},
    "gankit/hub": {"gankit.hub", "gankit.viz"},
    # Loaders are imported lazily, only to evaluate against a dataset by name.
    "gankit/metrics": {"gankit.metrics", "data_loaders"},
    "data_loaders": {"data_loaders"},
}
ALLOWED = {package: allowed | {"gankit._checks"} for package, allowed in ALLOWED.items()}


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
    assert sorted(gankit.__all__) == [
        "__version__",
        "engine",
        "hub",
        "layers",
        "load_model",
        "losses",
        "metrics",
        "models",
        "training",
        "viz",
    ]
    assert re.fullmatch(r"\d+\.\d+\.\d+", gankit.__version__)
    for name in gankit.__all__:
        assert getattr(gankit, name) is not None
    with pytest.raises(AttributeError, match="no_such_name"):
        gankit.no_such_name  # noqa: B018


def test_installed_metadata_matches_package_version():
    # pyproject.toml reads the version from gankit/__init__.py; the installed
    # distribution must carry the same one.
    assert importlib.metadata.version("gankit") == gankit.__version__


def test_changelog_records_the_current_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {gankit.__version__} " in changelog or f"## {gankit.__version__}\n" in changelog


def _fresh_python(script):
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_import_gankit_imports_no_tensorflow():
    result = _fresh_python("import sys, gankit; assert 'tensorflow' not in sys.modules; print(gankit.__version__)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == gankit.__version__


def test_load_model_works_in_a_fresh_interpreter(tmp_path):
    from gankit.layers import DenseSN
    from gankit.models import GAN

    generator = keras.Sequential([keras.Input((4,)), DenseSN(8), keras.layers.Reshape((2, 2, 2))])
    discriminator = keras.Sequential([keras.Input((2, 2, 2)), keras.layers.Flatten(), keras.layers.Dense(1)])
    gan = GAN(generator, discriminator, latent_dim=4)
    gan.compile()
    path = tmp_path / "gan.keras"
    gan.save(path)
    expected = gan.generate(3, seed=1)
    np.save(tmp_path / "expected.npy", expected)
    result = _fresh_python(
        "import sys, numpy as np, gankit\n"
        f"gan = gankit.load_model({str(path)!r})\n"
        "print(type(gan).__module__, type(gan).__name__)\n"
        f"np.testing.assert_array_equal(gan.generate(3, seed=1), np.load({str(tmp_path / 'expected.npy')!r}))\n"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-2:] == ["gankit.models.gan", "GAN"]


def test_load_model_names_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.keras"):
        gankit.load_model(tmp_path / "missing.keras")
