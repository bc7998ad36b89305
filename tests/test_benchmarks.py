"""The quality benchmarks' published results stay reproducible and in step with the docs.

The benchmarks themselves run with `make bench` (minutes each), never in
`make test`; these checks read the committed results.
"""

import hashlib
import importlib.util
import json
import pathlib
import re
import sys

import numpy as np
import pytest

import data_loaders

ROOT = pathlib.Path(__file__).resolve().parents[1]
QUALITY = ROOT / "benchmarks" / "quality"
RESULTS_DIR = ROOT / "benchmarks" / "results"
RESULTS = sorted(RESULTS_DIR.glob("quality_*.json"))
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
    for expected in ("metric_floor", "loss_families", "cgan_seed0", "sgan_seed0", "cyclegan_book_seed0", "progan"):
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
    runs = [json.loads(path.read_text()) for path in sorted(RESULTS_DIR.glob("quality_cgan_seed*.json"))]
    assert len(runs) >= 3, "the CGAN row is over at least 3 seeds"
    relative = np.array([run["relative_share"] for run in runs]) * 100
    mean, std = relative.mean(), relative.std(ddof=1)
    met = mean - std >= 100 * runs[0]["relative_target"]
    rows = [row for row in report.summary() if row.startswith(f"| 4. Conditional GAN, {len(runs)} seeds")]
    assert len(rows) == 1
    assert f"| {mean:.1f}% ± {std:.1f} (" in rows[0]
    assert rows[0].endswith(f"| {'met' if met else '**missed**'} |")
    # The per-class row names the class with the largest mean + std gap.
    gaps = {name: np.array([run["per_class"][name]["gap_points"] for run in runs]) for name in runs[0]["per_class"]}
    worst = max(gaps, key=lambda name: gaps[name].mean() + gaps[name].std(ddof=1))
    rows = [row for row in report.summary() if row.startswith("| 4. Conditional GAN, per class")]
    assert rows and f"largest gap: {worst} {gaps[worst].mean():.1f} ± {gaps[worst].std(ddof=1):.1f}" in rows[0]


def test_cgan_result_is_consistent():
    for path in sorted(RESULTS_DIR.glob("quality_cgan_seed*.json")):
        run = json.loads(path.read_text())
        assert run["relative_share"] == pytest.approx(run["requested_class_share"] / run["classifier_real_accuracy"])
        gaps = [row["gap_points"] for row in run["per_class"].values()]
        for row in run["per_class"].values():
            assert row["gap_points"] == pytest.approx(100 * (row["real_accuracy"] - row["share"]))
        assert run["largest_gap_points"] == max(gaps)
        # 1,000 images per class: the overall share is the mean of the per-class shares.
        shares = [row["share"] for row in run["per_class"].values()]
        assert run["requested_class_share"] == pytest.approx(np.mean(shares))


def test_cgan_and_sgan_results_ran_the_builders_book_updates():
    # The results come from `build_cgan()` / `build_sgan()` as they compile now: the book's fresh
    # latents for the generator and two discriminator steps per iteration, real batch then fakes.
    from gankit.models import build_cgan
    from gankit.models import build_sgan

    for build, pattern in ((build_cgan, "quality_cgan_seed*.json"), (build_sgan, "quality_sgan*_seed*.json")):
        options = build(num_classes=3, latent_dim=8, image_shape=(8, 8, 1)).training_options
        assert (options["update_scheme"], options["d_update"]) == ("fresh", "real_then_fake")
        paths = sorted(RESULTS_DIR.glob(pattern))
        assert paths
        for path in paths:
            run = json.loads(path.read_text())
            assert (run.get("update_scheme"), run.get("d_update")) == ("fresh", "real_then_fake"), path.name


@pytest.mark.parametrize("networks", ["mlm_mnist", "generic"])
def test_tutorial_rows_read_the_results(networks):
    report = load_module("report")
    runs = [json.loads(path.read_text()) for path in sorted(RESULTS_DIR.glob(f"quality_dcgan_{networks}_*seed*.json"))]
    assert len(runs) >= 3, f"the {networks} comparison is over at least 3 seeds"
    # Every target row is over seeds: no single-run fit()-against-tutorial result is left.
    assert not [path.name for path in RESULTS_DIR.glob(f"quality_dcgan_{networks}*.json") if "seed" not in path.name]
    summary = report.summary()
    label = report.TUTORIAL_NETWORKS[networks]
    for name, budget in (("gankit", "equal real images"), ("gankit_equal_time", "equal training time")):
        gaps = np.array([run["rows"]["tutorial"]["scores"]["fid"] - run["rows"][name]["scores"]["fid"] for run in runs])
        rows = [row for row in summary if row.startswith(f"| 2. DCGAN, {label}, {budget}, {len(runs)} seeds")]
        assert len(rows) == 1, budget
        assert f"gap {gaps.mean():+.1f} ± {gaps.std(ddof=1):.1f}" in rows[0]
        assert rows[0].endswith(f"| {'met' if gaps.mean() - gaps.std(ddof=1) > 0 else '**missed**'} |")
    for run in runs:
        tutorial, same, timed = (run["rows"][key] for key in ("tutorial", "gankit", "gankit_equal_time"))
        # Equal images: the same updates on the same real images; equal time: trained on past them, to the
        # tutorial's training time (the last step may end past it).
        assert same["real_images_seen"] == tutorial["real_images_seen"] and same["updates"] == tutorial["updates"]
        assert timed["updates"] > same["updates"]
        assert timed["train_seconds"] >= tutorial["train_seconds"]


def committed_classifier():
    directory = ROOT / "benchmarks" / "classifiers" / "domain_fashion_mnist_v1"
    return directory, hashlib.sha256((directory / "model.keras").read_bytes()).hexdigest()


def test_benchmarks_score_with_the_committed_classifier():
    from gankit.metrics import DomainClassifier
    from gankit.metrics.domain_classifier import domain_classifier_name

    directory, digest = committed_classifier()
    common = load_module("_common")
    assert common.CLASSIFIERS == directory.parent
    assert directory.name == domain_classifier_name("fashion_mnist"), "the default recipe's classifier"
    classifier = DomainClassifier.load(directory)
    assert classifier.name == directory.name and classifier.feature_dim == 128
    # Every result that records its classifier's weights was scored by the committed ones.
    recorded = {path.name: json.loads(path.read_text()).get("classifier_sha256") for path in RESULTS}
    assert {name: sha for name, sha in recorded.items() if sha and sha != digest} == {}
    assert json.loads((RESULTS_DIR / "quality_metric_floor.json").read_text())["classifier_sha256"] == digest
    if not pathlib.Path(data_loaders.DEBIAN_FASHION_MNIST_DIR).is_dir():
        pytest.skip(f"real Fashion-MNIST is not installed in {data_loaders.DEBIAN_FASHION_MNIST_DIR}")
    images, labels = data_loaders.load_fashion_mnist_arrays("test")
    accuracy = classifier.accuracy(images[..., None].astype("float32") / 255.0, labels, batch_size=500)
    # The saved accuracy was measured on the machine that trained it. Elsewhere the float32 logits
    # round differently (AVX-512 vs AVX2 kernels, ~1e-6 relative), which can flip only images whose two
    # largest logits nearly tie: a handful of 10,000, allowed up to 10 (0.1 points).
    assert accuracy == pytest.approx(classifier.test_accuracy, abs=0.001)


def test_report_names_results_scored_by_another_classifier():
    report = load_module("report")
    _, digest = committed_classifier()
    floor = {"classifier_test_accuracy": 0.9045}
    committed = {"classifier_sha256": digest, "classifier_test_accuracy": 0.9045}
    assert report.run_classifier_note([committed, committed], floor) == ""
    # Same accuracy, other weights: the digest decides, not the accuracy.
    own = {"classifier_sha256": "0" * 64, "classifier_test_accuracy": 0.9045}
    older = {"classifier_real_accuracy": 0.8988}
    note = report.run_classifier_note([committed, own, older], floor)
    assert note.startswith("2 of these 3 runs were scored before") and "89.88%, 90.45% on the real test" in note
    assert "(accuracy not recorded, where" in report.run_classifier_note([{}], floor)
    mixed = report.classifier_notes({"book": [committed], "gankit": [older]}, floor)
    assert "`book` the committed one; `gankit` one of 89.88%" in mixed


def test_report_footer_says_whether_onednn_ran():
    report = load_module("report")
    machine = {"cpu_count": 2, "processor": "x86_64", "tensorflow": "2.21.0", "keras": "3.15.1"}
    run = {"command": "python benchmarks/quality/metric_floor.py", "seconds": 90.0, "machine": machine}
    older = report.footer(run)
    assert older.endswith("1.5 min on 2 CPU cores (x86_64), TensorFlow 2.21.0, Keras 3.15.1.")
    for recorded, words in ((True, "oneDNN on"), (False, "oneDNN off")):
        footer = report.footer({**run, "machine": {**machine, "onednn": recorded}})
        assert footer == older[:-1] + f", {words}."


def test_sgan_feature_matching_row_reads_the_results():
    report = load_module("report")
    runs = [
        json.loads(path.read_text()) for path in sorted(RESULTS_DIR.glob("quality_sgan_feature_matching_seed*.json"))
    ]
    book = {
        json.loads(path.read_text())["seed"]: json.loads(path.read_text())
        for path in RESULTS_DIR.glob("quality_sgan_seed*.json")
    }
    assert len(runs) >= 3, "the feature-matching row is over at least 3 seeds"
    for run in runs:
        assert run["feature_matching"] and run["iterations"] == book[run["seed"]]["iterations"]
        assert run["gap_points"] == pytest.approx(100 * (run["sgan_test_accuracy"] - run["supervised_test_accuracy"]))
    accuracy = np.array([run["sgan_test_accuracy"] for run in runs]) * 100
    met = accuracy.mean() - accuracy.std(ddof=1) >= 100 * runs[0]["target_accuracy"]
    rows = [row for row in report.summary() if row.startswith("| 5b. Semi-supervised GAN, feature matching")]
    assert len(rows) == 1
    assert f"| {accuracy.mean():.1f}% ± {accuracy.std(ddof=1):.1f} (" in rows[0]
    assert rows[0].endswith(f"| {'met' if met else '**missed**'} |")


def test_cyclegan_rows_read_the_results():
    report = load_module("report")
    runs = [json.loads(path.read_text()) for path in sorted(RESULTS_DIR.glob("quality_cyclegan_*_seed*.json"))]
    groups = {}
    for run in runs:
        groups.setdefault(run["group"], []).append(run)
    assert {"cyclegan_book", "cyclegan_gankit"} <= set(groups), "the book's recipe and gankit's, side by side"
    summary = report.summary()
    for group, members in groups.items():
        assert len(members) >= 3, f"{group} is over at least 3 seeds"
        assert len({run["seed"] for run in members}) == len(members)
        label = f"| 6. CycleGAN, {members[0]['recipe']} recipe, {members[0]['epochs']} epochs"
        rows = [row for row in summary if row.startswith(label) and f", {len(members)} seeds |" in row]
        assert len(rows) == 1, label
        met = True
        for direction in ("sneaker_to_boot", "boot_to_sneaker"):
            share = np.array([run["directions"][direction]["share_in_target_class"] for run in members]) * 100
            mean, std = share.mean(), share.std(ddof=1)
            assert f"{mean:.1f}% ± {std:.1f}" in rows[0]
            met = met and mean - std >= 100 * members[0]["target"]
        assert rows[0].endswith(f"| {'met' if met else '**missed**'} |")


def test_cyclegan_recipes_compare_at_one_budget_scored_by_the_committed_classifier():
    report = load_module("report")
    seeds = {}
    for path in sorted(RESULTS_DIR.glob("quality_cyclegan_*_seed*.json")):
        run = json.loads(path.read_text())
        if run.get("classifier_sha256") == report.committed_classifier_sha256():
            seeds.setdefault((run["epochs"], run["recipe"]), set()).add(run["seed"])
    fair = [epochs for (epochs, recipe), found in seeds.items() if recipe == "book" and len(found) >= 3]
    assert any(len(seeds.get((epochs, "gankit"), ())) >= 3 for epochs in fair), (
        "the book's recipe and gankit's, 3 seeds each at one budget, scored by one classifier"
    )


def test_cyclegan_recipes_are_the_sources():
    cyclegan = load_module("cyclegan")
    book = cyclegan.RECIPES["book"]
    # GANs in Action ch9: gan.train(epochs=100, batch_size=64); lambda_id = 0.9 * lambda_cycle; Keras-GAN's
    # DataLoader flips training images; no history pool; keras_contrib InstanceNormalization(); D first.
    assert (book["batch_size"], book["lambda_identity"], book["pool_size"]) == (64, 9.0, 0)
    assert (book["normalization"], book["update_order"]) == ("keras_contrib", "discriminator_first")
    assert book["d_update"] == "real_then_fake"  # d_A.train_on_batch(imgs_A, valid), then (fake_A, fake)
    assert book["flip"] and not book["linear_decay"]
    assert cyclegan.BOOK_EPOCHS == 100
    # Every run of a group shares its recipe's settings.
    for path in sorted(RESULTS_DIR.glob("quality_cyclegan_*_seed*.json")):
        # Results written before `compile(d_update=...)` existed took one joint step.
        run = {"d_update": "joint", **json.loads(path.read_text())}
        recipe = cyclegan.RECIPES[run["recipe"]]
        assert all(run[key] == value for key, value in recipe.items()) == (run["group"] == f"cyclegan_{run['recipe']}")


def budget_results():
    runs = [json.loads(path.read_text()) for path in sorted(RESULTS_DIR.glob("quality_dcgan_budget_*_seed*.json"))]
    groups = {}
    for run in runs:
        groups.setdefault(run["recipe"], []).append(run)
    return json.loads((RESULTS_DIR / "quality_dcgan_budget_selection.json").read_text()), groups


def test_dcgan_budget_row_reads_the_results():
    report = load_module("report")
    budget = load_module("dcgan_budget")
    selection, groups = budget_results()
    # gankit's best is the candidate with the lowest validation FID; the paper's recipe is not a candidate.
    candidates = {name: row["validation_scores"]["fid"] for name, row in selection["rows"].items() if name != "paper"}
    assert set(selection["rows"]) == set(budget.RECIPES)
    assert selection["best"] == min(candidates, key=candidates.get)
    assert set(groups) == {"paper", selection["best"]}, "the row trains the paper's recipe and the chosen one"
    seeds = [run["seed"] for run in groups["paper"]]
    assert len(seeds) >= 3 and seeds == [run["seed"] for run in groups[selection["best"]]]
    for runs in groups.values():
        for run in runs:
            assert run["settings"] == budget.RECIPES[run["recipe"]]
            assert run["train_seconds_budget"] == budget.ROW_SECONDS and run["batch_size"] == budget.BATCH
            # Trained for the whole budget: the callback stops after the step that crosses it.
            assert budget.ROW_SECONDS <= run["train_seconds"] < budget.ROW_SECONDS + 5
    paper = np.array([run["scores"]["fid"] for run in groups["paper"]])
    best = np.array([run["scores"]["fid"] for run in groups[selection["best"]]])
    gap = paper - best
    rows = [row for row in report.summary() if row.startswith("| 3c. DCGAN")]
    assert len(rows) == 1 and f"(`{selection['best']}`, chosen on validation)" in rows[0]
    assert f"| {best.mean():.1f} ± {best.std(ddof=1):.1f} vs {paper.mean():.1f} ± {paper.std(ddof=1):.1f}" in rows[0]
    assert f"gap {gap.mean():+.1f} ± {gap.std(ddof=1):.1f}" in rows[0]
    assert rows[0].endswith(f"| {'met' if gap.mean() - gap.std(ddof=1) > 0 else '**missed**'} |")


def test_dcgan_budget_paper_recipe_is_the_paper(monkeypatch):
    budget = load_module("dcgan_budget")
    # Radford et al. 2015, Section 4: mini-batch 128, Adam, learning rate 0.0002, beta_1 0.5,
    # weights from N(0, 0.02); Figure 1: a 100-dimensional uniform Z.
    paper = budget.RECIPES["paper"]
    assert (paper["d_learning_rate"], paper["g_learning_rate"], paper["beta_1"]) == (2e-4, 2e-4, 0.5)
    assert paper["loss"] == "non_saturating" and paper["ema_decay"] is None
    assert budget.BATCH == 128 and budget.LATENT_DIM == 100
    gan = budget.build("paper")
    assert gan.latent_distribution == "uniform" and gan.ema_generator is None
    # 6,272 x 100 projection weights: their sample std is 0.02 to within 2% (the sample std's
    # relative standard error is 1 / sqrt(2n), 0.03% here).
    kernel = gan.generator.layers[0].kernel.numpy()
    assert kernel.size > 600_000 and abs(kernel.std() / 0.02 - 1) < 0.02 and abs(kernel.mean()) < 1e-3
    hinge = budget.build("hinge_ttur_ema")
    assert hinge.ema_generator is not None and hinge.ema_decay == budget.EMA_DECAY
    assert float(hinge.d_optimizer.learning_rate) == pytest.approx(4e-4)
    assert float(hinge.g_optimizer.learning_rate) == pytest.approx(1e-4)
    assert hinge.training_options["loss"] == "hinge"
    # The validation images are the last 10,000 of the training split, never trained on.
    images = np.arange(60000, dtype="float32")[:, None, None, None]
    monkeypatch.setattr(budget._common, "real_images", lambda split="train": (images, None))
    train, validation = budget.splits()
    assert len(train) == budget.NUM_TRAIN == 50000 and len(validation) == 10000
    assert train.max() < validation.min()


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
