"""Quality benchmark 6: does the CycleGAN turn sneakers into ankle boots and back?

`build_cyclegan()` (chapter 9's U-Net generators with gf=32, PatchGAN
discriminators with df=64, lambda_cycle 10, lambda_id 0.9 * 10, Adam 2e-4 /
0.5, the paper's 50-image history pool) trains on the unpaired real
Fashion-MNIST sneakers (class 7, domain A) and ankle boots (class 9, domain
B), 6,000 training images each, resized to 32x32, with the paper's linear
learning-rate decay over the second half (as the chapter 9 notebook). Then
the 1,000 test images of each domain are translated and scored:

- the share of translated images the domain classifier (trained on the real
  labels) assigns to the target class; target: at least 80% each way;
- the mean cycle reconstruction L1 (the cycle loss before its weight, on
  [-1, 1] images): A -> B -> A and B -> A -> B;
- domain FID/KID of the translations against the real test images of the
  target domain (N = 1,000 each).

The same numbers for the untranslated test images (what "no translation"
reads) and the classifier's accuracy on real sneakers and boots (what a
perfect translation can read) frame the result.

Usage: python benchmarks/quality/cyclegan.py [--epochs 4] [--batch-size 16] [--lambda-identity 9]
Writes benchmarks/results/quality_cyclegan.json and two grids in docs/images/quality/; a run with
other settings writes quality_cyclegan_<settings>.json and its own grids.
"""

import argparse
import time

import _common
import keras
import numpy as np

import data_loaders  # noqa: E402
from gankit.losses import cycle_consistency_loss  # noqa: E402
from gankit.models import build_cyclegan  # noqa: E402
from gankit.training import LinearDecaySchedule  # noqa: E402

TARGET = 0.80
SNEAKER, BOOT = 7, 9  # Fashion-MNIST classes of domains A and B
IMAGE_SIZE = 32
GRID_COLUMNS = 10


def test_domains():
    """The 1,000 test sneakers and 1,000 test ankle boots, in [-1, 1], unshuffled."""
    pairs = list(
        data_loaders.fashion_mnist_sneakers_boots(
            "test", image_size=IMAGE_SIZE, batch_size=250, shuffle=False, drop_remainder=False
        )
    )
    return (np.concatenate([a.numpy() for a, _ in pairs]), np.concatenate([b.numpy() for _, b in pairs]))


def feature_scores(images, real):
    """Domain FID/KID of `images` against `real` (both in [0, 1], all of them)."""
    n = min(len(images), len(real))
    result = _common.domain_scores(images[:n], real[:n], num_images=n, metrics=("fid", "kid"))
    return {key: value for key, value in result.items() if key in ("fid", "kid", "kid_std", "num_fake")}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4, help="passes over the 6,000 training pairs")
    parser.add_argument("--batch-size", type=int, default=16, help="pairs per step")
    parser.add_argument("--generator-filters", type=int, default=32, help="the book: gf = 32")
    parser.add_argument("--discriminator-filters", type=int, default=64, help="the book: df = 64")
    parser.add_argument(
        "--lambda-identity",
        type=float,
        default=None,
        help="identity-loss weight; default: the book's 0.9 * lambda_cycle = 9 (the paper: 0.5 * lambda_cycle = 5)",
    )
    args = parser.parse_args(argv)
    started = _common.start()

    train = data_loaders.fashion_mnist_sneakers_boots(
        "train", image_size=IMAGE_SIZE, batch_size=args.batch_size, seed=_common.SEED
    )
    steps_per_epoch = int(train.cardinality())
    total_steps = args.epochs * steps_per_epoch
    decay_start = total_steps // 2

    def linear_decay():
        return LinearDecaySchedule(2e-4, decay_start_step=decay_start, decay_steps=total_steps - decay_start)

    cyclegan = build_cyclegan(
        (IMAGE_SIZE, IMAGE_SIZE, 1),
        generator="unet",
        generator_filters=args.generator_filters,
        discriminator_filters=args.discriminator_filters,
        lambda_identity=args.lambda_identity,
        compile=False,
    )
    cyclegan.compile(
        g_optimizer=keras.optimizers.Adam(linear_decay(), beta_1=0.5),
        d_optimizer=keras.optimizers.Adam(linear_decay(), beta_1=0.5),
    )
    tick = time.perf_counter()
    history = cyclegan.fit(train.repeat(), epochs=args.epochs, steps_per_epoch=steps_per_epoch, verbose=2)
    train_seconds = time.perf_counter() - tick

    test_a, test_b = test_domains()
    fake_b = cyclegan.translate(test_a, "a2b")
    fake_a = cyclegan.translate(test_b, "b2a")
    cycled_a = cyclegan.translate(fake_b, "b2a", value_range=(0, 1))
    cycled_b = cyclegan.translate(fake_a, "a2b", value_range=(0, 1))
    real_a, real_b = (test_a + 1.0) / 2.0, (test_b + 1.0) / 2.0

    classifier = _common.classifier()

    def share(images, label):
        return classifier.accuracy(images, np.full(len(images), label))

    directions = {
        "sneaker_to_boot": {
            "share_in_target_class": share(fake_b, BOOT),
            "untranslated_share_in_target_class": share(real_a, BOOT),
            "mean_cycle_l1": float(cycle_consistency_loss(test_a, cycled_a * 2.0 - 1.0)),
            "scores": feature_scores(fake_b, real_b),
            "untranslated_scores": feature_scores(real_a, real_b),
        },
        "boot_to_sneaker": {
            "share_in_target_class": share(fake_a, SNEAKER),
            "untranslated_share_in_target_class": share(real_b, SNEAKER),
            "mean_cycle_l1": float(cycle_consistency_loss(test_b, cycled_b * 2.0 - 1.0)),
            "scores": feature_scores(fake_a, real_a),
            "untranslated_scores": feature_scores(real_b, real_a),
        },
    }
    for row in directions.values():
        row["target_met"] = row["share_in_target_class"] >= TARGET

    # Runs off the book's recipe get their own result file and grids.
    variant = "".join(
        f"_{name}{value:g}"
        for name, value, book in (
            ("epochs", args.epochs, 4),
            ("batch", args.batch_size, 16),
            ("gf", args.generator_filters, 32),
            ("df", args.discriminator_filters, 64),
            ("lambda_id", args.lambda_identity, None),
        )
        if value != book
    )
    grids = {}
    for name, originals, translated, cycled in (
        ("a2b2a", real_a, fake_b, cycled_a),
        ("b2a2b", real_b, fake_a, cycled_b),
    ):
        rows = np.concatenate([originals[:GRID_COLUMNS], translated[:GRID_COLUMNS], cycled[:GRID_COLUMNS]])
        grids[name] = _common.save_grid(rows, f"cyclegan{variant}_{name}", rows=3, columns=GRID_COLUMNS)

    _common.write_result(
        "cyclegan" + variant,
        {
            "image_size": IMAGE_SIZE,
            "epochs": args.epochs,
            "batch_size": args.batch_size,
            "steps": total_steps,
            "generator_filters": args.generator_filters,
            "discriminator_filters": args.discriminator_filters,
            "lambda_cycle": cyclegan.lambda_cycle,
            "lambda_identity": cyclegan.lambda_identity,
            "train_seconds": round(train_seconds, 1),
            "final_losses": {key: float(values[-1]) for key, values in history.history.items()},
            "num_test_per_domain": len(test_a),
            "classifier_accuracy_real": {"sneaker": share(real_a, SNEAKER), "ankle_boot": share(real_b, BOOT)},
            "classifier_test_accuracy": classifier.test_accuracy,
            "target": TARGET,
            "target_met": all(row["target_met"] for row in directions.values()),
            "directions": directions,
            "grids": grids,
        },
        started,
    )


if __name__ == "__main__":
    main()
