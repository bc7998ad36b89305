"""The quality benchmarks' published results stay reproducible and in step with the docs.

The benchmarks themselves run with `make bench` (minutes each), never in
`make test`; these checks read the committed results.
"""

import importlib.util
import json
import pathlib
import re
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
QUALITY = ROOT / "benchmarks" / "quality"
RESULTS = sorted((ROOT / "benchmarks" / "results").glob("quality_*.json"))
BUDGET_SECONDS = 15 * 60  # the issue: each benchmark fits in 15 minutes on 2 CPU cores


def load_module(name):
    sys.path.insert(0, str(QUALITY))
    try:
        spec = importlib.util.spec_from_file_location(f"quality_{name}", QUALITY / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(QUALITY))


def bench_commands():
    """The commands `make bench` runs, as `python benchmarks/quality/x.py args`."""
    text = (ROOT / "Makefile").read_text()
    recipe = text.split("\nbench:", 1)[1].split("\n\n", 1)[0]
    return {
        "python " + line.strip().replace("$(QUALITY)", "benchmarks/quality")
        for line in recipe.splitlines()[1:]
        if line.strip()
    }


def test_every_make_bench_command_has_its_result():
    commands = {json.loads(path.read_text())["command"] for path in RESULTS}
    missing = bench_commands() - commands - {"python benchmarks/quality/report.py"}
    assert not missing, f"no committed result for {sorted(missing)}"
    names = {path.stem for path in RESULTS}
    for expected in ("metric_floor", "loss_families", "cgan", "sgan_seed0", "cyclegan", "progan"):
        assert f"quality_{expected}" in names


@pytest.mark.parametrize("path", RESULTS, ids=lambda p: p.stem)
def test_each_result_comes_from_make_bench_within_budget(path):
    result = json.loads(path.read_text())
    assert result["command"] in bench_commands(), f"`make bench` does not reproduce {path.name}"
    assert result["seconds"] <= BUDGET_SECONDS
    assert result["machine"]["cpu_count"] == 2
    text = path.read_text()
    for grid in re.findall(r'"(docs/images/quality/[^"]+\.png)"', text):
        assert (ROOT / grid).is_file(), grid


def test_docs_page_is_what_report_writes():
    report = load_module("report")
    page = report.PAGE.read_text()
    written = page.split(report.BEGIN, 1)[1].split(report.END, 1)[0]
    assert written == "\n" + report.section(), "run `python benchmarks/quality/report.py`"


def test_targets_summary_reads_the_results():
    report = load_module("report")
    cgan = json.loads((ROOT / "benchmarks" / "results" / "quality_cgan.json").read_text())
    rows = [row for row in report.summary() if row.startswith("| 4. Conditional GAN")]
    assert rows == [
        f"| 4. Conditional GAN | ≥ 90% in the requested class | {cgan['requested_class_share']:.1%} | "
        f"{'met' if cgan['requested_class_share'] >= 0.9 else '**missed**'} |"
    ]


def test_progan_resolution_helpers():
    progan = load_module("progan")
    # Padding: 2 background pixels (-1) on each side of a 28x28 image.
    images = np.zeros((1, 28, 28, 1), "float32")
    padded = progan.padded(images)
    assert padded.shape == (1, 32, 32, 1)
    assert padded[0, :2].min() == padded[0, :2].max() == -1.0
    assert padded[0, 2:30, 2:30].max() == 0.0
    # A pixel checkerboard of -1 and 1 averages to 0 in every 2x2 (and larger) block.
    checker = (np.indices((32, 32)).sum(0) % 2 * 2.0 - 1.0).astype("float32")[None, ..., None]
    np.testing.assert_allclose(progan.at_resolution(checker, 16), 0.0, atol=1e-6)
    np.testing.assert_array_equal(progan.at_resolution(checker, 32), checker)
    # Nearest upsampling back to 32: each 8x8 block of a 4x4 result is constant, the block mean.
    ramp = np.arange(32 * 32, dtype="float32").reshape(1, 32, 32, 1)
    low = progan.at_resolution(ramp, 4)
    assert low.shape == (1, 32, 32, 1)
    np.testing.assert_allclose(low[0, :8, :8, 0], ramp[0, :8, :8, 0].mean())
    # The classifier sees the 28x28 centre, mapped from [-1, 1] to [0, 1].
    centre = progan.for_classifier(padded)
    assert centre.shape == (1, 28, 28, 1)
    np.testing.assert_allclose(centre, 0.5)
