"""Quality benchmark 6: does the CycleGAN turn sneakers into ankle boots and back?

Two recipes, one command per recipe and seed, on the unpaired real
Fashion-MNIST sneakers (class 7, domain A) and ankle boots (class 9, domain
B), 6,000 training images each, resized to 32x32, with chapter 9's U-Net
generators (gf=32), PatchGAN discriminators (df=64), lambda_cycle 10 and
Adam(2e-4, 0.5):

- `book`: the chapter 9 code as it ran: batch 64, constant learning rate,
  lambda_id 0.9 * 10 = 9, no history pool, keras_contrib's whole-sample
  instance norm, discriminators updated before the generators, each with
  two steps, on real images and then on translations (its two
  `train_on_batch` calls, `d_update="real_then_fake"`), random left-right
  flips of the training images.
- `gankit`: the best variant found before: batch 16, lambda_id 0, the
  paper's 50-image history pool and per-channel instance norm, generators
  first, one discriminator step on the summed loss (the paper's code), the
  paper's linear learning-rate decay over the second half.

Both train 6 epochs by default (what fits in 15 minutes on 2 AVX-512 CPU
cores; the book trains 100). `make bench` also runs both at `--epochs 3`, what
fits in 15 minutes on 2 cores of a CPU with AVX2 but no AVX-512 (an AMD EPYC,
where a step takes about twice as long), so each recipe has a row at a budget
that any of this project's machines can rerun. Then the 1,000 test images of
each domain are translated and scored:

- the share of translated images the domain classifier (trained on the real
  labels) assigns to the target class; target: at least 90% each way, for
  the mean minus one std over seeds;
- the mean cycle reconstruction L1 (the cycle loss before its weight, on
  [-1, 1] images): A -> B -> A and B -> A -> B;
- domain FID/KID of the translations against the real test images of the
  target domain (N = 1,000 each).

The same numbers for the untranslated test images (what "no translation"
reads) and the classifier's accuracy on real sneakers and boots frame the
result. The seed chooses the initialisations, the data order and the flips.

Usage: python benchmarks/quality/cyclegan.py --recipe book --seed 0 [--epochs 6] [--batch-size 64]
    [--lambda-identity 9]
Writes benchmarks/results/quality_cyclegan_<recipe>_seed<seed>.json and two grids in
docs/images/quality/; a run off its recipe's settings adds them to the name
(quality_cyclegan_book_epochs4_seed0.json).
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

TARGET = 0.90
SNEAKER, BOOT = 7, 9  # Fashion-MNIST classes of domains A and B
IMAGE_SIZE = 32
GRID_COLUMNS = 10
GENERATOR_FILTERS, DISCRIMINATOR_FILTERS = 32, 64  # the book's gf and df
LEARNING_RATE, BETA_1 = 2e-4, 0.5  # the book and the paper
BOOK_EPOCHS = 100  # GANs in Action chapter 9: gan.train(epochs=100, batch_size=64)
RECIPES = {
    "book": {
        "epochs": 6,
        "batch_size": 64,
        "lambda_identity": 9.0,
        "pool_size": 0,
        "normalization": "keras_contrib",
        "update_order": "discriminator_first",
        "d_update": "real_then_fake",
        "linear_decay": False,
        "flip": True,
    },
    "gankit": {
        "epochs": 6,
        "batch_size": 16,
        "lambda_identity": 0.0,
        "pool_size": 50,
        "normalization": "instance",
        "update_order": "generator_first",
        "d_update": "joint",
        "linear_decay": True,
        "flip": False,
    },
}


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
    parser.add_argument("--recipe", choices=tuple(RECIPES), default="book", help="see the module docstring")
    parser.add_argument("--seed", type=int, default=0, help="initialisations, data order and flips")
    parser.add_argument("--epochs", type=int, default=None, help="passes over the 6,000 training pairs")
    parser.add_argument("--batch-size", type=int, default=None, help="pairs per step")
    parser.add_argument("--lambda-identity", type=float, default=None, help="absolute identity-loss weight")
    args = parser.parse_args(argv)
    recipe = dict(RECIPES[args.recipe])
    overrides = {
        key: value
        for key, value in (
            ("epochs", args.epochs),
            ("batch_size", args.batch_size),
            ("lambda_identity", args.lambda_identity),
        )
        if value is not None and value != recipe[key]
    }
    recipe.update(overrides)
    started = _common.start(args.seed)

    train = data_loaders.fashion_mnist_sneakers_boots(
        "train", image_size=IMAGE_SIZE, batch_size=recipe["batch_size"], seed=args.seed, flip=recipe["flip"]
    )
    steps_per_epoch = int(train.cardinality())
    total_steps = recipe["epochs"] * steps_per_epoch
    decay_start = total_steps // 2

    def optimizer():
        if recipe["linear_decay"]:
            rate = LinearDecaySchedule(
                LEARNING_RATE, decay_start_step=decay_start, decay_steps=total_steps - decay_start
            )
        else:
            rate = LEARNING_RATE
        return keras.optimizers.Adam(rate, beta_1=BETA_1)

    cyclegan = build_cyclegan(
        (IMAGE_SIZE, IMAGE_SIZE, 1),
        generator="unet",
        generator_filters=GENERATOR_FILTERS,
        discriminator_filters=DISCRIMINATOR_FILTERS,
        normalization=recipe["normalization"],
        lambda_identity=recipe["lambda_identity"],
        pool_size=recipe["pool_size"],
        compile=False,
    )
    cyclegan.compile(
        d_optimizer=optimizer(),
        g_optimizer=optimizer(),
        update_order=recipe["update_order"],
        d_update=recipe["d_update"],
    )
    tick = time.perf_counter()
    history = cyclegan.fit(train.repeat(), epochs=recipe["epochs"], steps_per_epoch=steps_per_epoch, verbose=2)
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

    # Runs off their recipe's settings get their own result file and grids.
    group = f"cyclegan_{args.recipe}" + "".join(
        f"_{key.replace('_size', '')}{value:g}" for key, value in overrides.items()
    )
    name = f"{group}_seed{args.seed}"
    grids = {}
    for direction, originals, translated, cycled in (
        ("a2b2a", real_a, fake_b, cycled_a),
        ("b2a2b", real_b, fake_a, cycled_b),
    ):
        rows = np.concatenate([originals[:GRID_COLUMNS], translated[:GRID_COLUMNS], cycled[:GRID_COLUMNS]])
        grids[direction] = _common.save_grid(rows, f"{name}_{direction}", rows=3, columns=GRID_COLUMNS)

    _common.write_result(
        name,
        {
            "group": group,
            "recipe": args.recipe,
            "seed": args.seed,
            "image_size": IMAGE_SIZE,
            **recipe,
            "book_epochs": BOOK_EPOCHS,
            "steps": total_steps,
            "generator_filters": GENERATOR_FILTERS,
            "discriminator_filters": DISCRIMINATOR_FILTERS,
            "learning_rate": LEARNING_RATE,
            "beta_1": BETA_1,
            "lambda_cycle": cyclegan.lambda_cycle,
            "train_seconds": round(train_seconds, 1),
            "final_losses": {key: float(values[-1]) for key, values in history.history.items()},
            "num_test_per_domain": len(test_a),
            "classifier_accuracy_real": {"sneaker": share(real_a, SNEAKER), "ankle_boot": share(real_b, BOOT)},
            "classifier_test_accuracy": classifier.test_accuracy,
            "target": TARGET,
            "directions": directions,
            "grids": grids,
        },
        started,
    )


if __name__ == "__main__":
    main()
