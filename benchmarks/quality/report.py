"""Writes the quality benchmarks' results into docs/benchmarks.md.

Reads every `benchmarks/results/quality_*.json` and replaces the text between
the `<!-- quality:begin -->` and `<!-- quality:end -->` markers of
docs/benchmarks.md with one table per benchmark, the command that produced
it, the machine and N, so the page never drifts from the results.

Usage: python benchmarks/quality/report.py
"""

import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
PAGE = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- quality:begin -->", "<!-- quality:end -->"


def load(name):
    path = RESULTS / f"quality_{name}.json"
    return json.loads(path.read_text()) if path.is_file() else None


def scores(s):
    return f"{s['fid']:.2f} | {s['kid']:.3f} ± {s['kid_std']:.3f} | {s['is']:.2f}"


def image(grid, alt):
    return f"![{alt}]({pathlib.Path(grid).relative_to('docs').as_posix()})"


def footer(r):
    m = r["machine"]
    return (f"`{r['command']}`: {r['seconds'] / 60:.1f} min on {m['cpu_count']} CPU cores "
            f"({m['processor']}), TensorFlow {m['tensorflow']}, Keras {m['keras']}.")


def section():
    out = []
    floor = load("metric_floor")
    if floor:
        s = floor["scores"]
        out += [
            "### 1. Metric floor",
            "",
            "| compared | N | domain FID | domain KID | domain IS | classifier test accuracy |",
            "|---|---|---|---|---|---|",
            f"| 10k real train vs 10k real test | {s['num_fake']} | {scores(s)} | {floor['classifier_test_accuracy']:.4f} |",
            "",
            footer(floor),
            "",
        ]
    for name, title in (
        ("dcgan_mlm_mnist", "the `mlm_mnist` networks, same real images"),
        ("dcgan_generic", "the generic DCGAN networks, same real images"),
        ("dcgan_generic_updates500", "the generic DCGAN networks, same generator updates"),
    ):
        r = load(name)
        if not r:
            continue
        out += [
            f"### 2. DCGAN, gankit's `fit()` against the tutorial loop: {title}",
            "",
            "| recipe | updates | real images seen | train s | mean pixel | domain FID | domain KID | domain IS |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, row in r["rows"].items():
            out.append(f"| {name} | {row['updates']} | {row['real_images_seen']} | {row['train_seconds']:.0f} | "
                       f"{row['mean_pixel']:.3f} | {scores(row['scores'])} |")
        notes = []
        if all(row["mean_pixel"] < 0.01 for row in r["rows"].values()):
            notes.append("Both recipes collapse to black images (mean pixel below 0.01): these networks, with "
                         "their `tanh` output, saturate at -1 on Fashion-MNIST in the tutorial's loop as in "
                         "`fit()`.")
        updates = {row["updates"] for row in r["rows"].values()}
        if len(updates) > 1:
            notes.append("At the same real images the tutorial makes twice as many generator and "
                         "discriminator updates (its iteration uses 128 real images, gankit's step 256).")
        out += ["", " ".join(notes + [f"N = {r['num_eval']} generated vs 10,000 test images; real mean pixel "
                f"{r['real_mean_pixel']:.3f}. {footer(r)}"]), "",
                " ".join(image(row["grid"], name) for name, row in r["rows"].items()), ""]
    r = load("loss_families")
    if r:
        out += [
            "### 3. Loss families on the same DCGAN and budget",
            "",
            f"{r['generator_updates']} generator updates at batch {r['batch_size']} each, N = {r['num_eval']}.",
            "",
            "| family | train s | final D loss | final G loss | domain FID | domain KID | domain IS |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, row in sorted(r["rows"].items(), key=lambda kv: kv[1]["scores"]["fid"]):
            out.append(f"| `{name}` | {row['train_seconds']:.0f} | {row['final_d_loss']:.3f} | "
                       f"{row['final_g_loss']:.3f} | {scores(row['scores'])} |")
        out += ["", footer(r), ""]
    r = load("cgan")
    if r:
        per = ", ".join(f"{k} {v:.0%}" for k, v in r["requested_class_share_per_class"].items())
        out += [
            "### 4. Conditional GAN: the requested class",
            "",
            "| iterations | share in requested class | target | domain FID | domain KID | domain IS |",
            "|---|---|---|---|---|---|",
            f"| {r['iterations']} (batch {r['batch_size']}) | **{r['requested_class_share']:.1%}** | "
            f"≥ {r['target']:.0%} ({'met' if r['target_met'] else 'missed'}) | {scores(r['scores'])} |",
            "",
            f"Per class: {per}. The classifier itself is {r['classifier_test_accuracy']:.1%} accurate on "
            f"real test images. {footer(r)}",
            "",
            image(r["grid"], "one row per class"),
            "",
        ]
    r = load("sgan")
    if r:
        out += [
            f"### 5. Semi-supervised GAN with {r['num_labeled']} labels",
            "",
            "| classifier | test accuracy (N = %d) |" % r["num_test"],
            "|---|---|",
            f"| SGAN ({r['iterations']} iterations) | **{r['sgan_test_accuracy']:.1%}** |",
            f"| same trunk, supervised on the same labels | {r['supervised_test_accuracy']:.1%} |",
            f"| gap | {r['gap_points']:+.1f} points (target ≥ +{r['target_points']:.0f}: "
            f"{'met' if r['target_met'] else 'missed'}) |",
            "",
            f"The book reports {r['book_mnist']['sgan']:.1%} against {r['book_mnist']['supervised']:.1%} on "
            f"MNIST. {footer(r)}",
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def main():
    text = PAGE.read_text()
    if BEGIN not in text:
        raise SystemExit(f"{PAGE} has no {BEGIN} ... {END} markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    PAGE.write_text(head + BEGIN + "\n" + section() + END + tail)
    print(f"wrote the quality section of {PAGE}")


if __name__ == "__main__":
    main()
