"""Executes every chapter notebook in smoke mode (GANKIT_SMOKE=1)."""

import json
import os
import pathlib

import pytest

from data_loaders import DEBIAN_FASHION_MNIST_DIR

NOTEBOOK_DIR = pathlib.Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and not cell.get("execution_count"), path.name


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory):
    """One GANKIT_CACHE for all notebooks: the smoke domain classifier is trained once."""
    return os.environ.get("GANKIT_CACHE") or str(tmp_path_factory.mktemp("gankit_cache"))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_smoke_mode(path, tmp_path, monkeypatch, shared_cache):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    if not pathlib.Path(DEBIAN_FASHION_MNIST_DIR).is_dir():
        pytest.skip(
            f"smoke runs read real Fashion-MNIST from {DEBIAN_FASHION_MNIST_DIR} "
            "(apt-get install dataset-fashion-mnist)"
        )
    monkeypatch.setenv("GANKIT_SMOKE", "1")
    monkeypatch.setenv("GANKIT_OUTPUT_DIR", str(tmp_path))
    monkeypatch.setenv("GANKIT_CACHE", shared_cache)
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
