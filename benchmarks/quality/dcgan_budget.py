"""Quality benchmark: DCGAN on Fashion-MNIST at a fixed training time, gankit's best recipe against the paper's.

Every recipe trains the same network, the generic DCGAN at 28x28
(`build_dcgan_generator/discriminator(image_shape=(28, 28, 1))`: a 7x7x128
projection and two stride-2 5x5 transposed convolutions with batch norm and
ReLU, tanh on [-1, 1]; a mirrored discriminator with LeakyReLU 0.2), with the
paper's N(0, 0.02) weights and U[-1, 1] latents, at the paper's batch of 128,
on the same 50,000 training images (the first 50,000 of the official training
split; the last 10,000 are held out for validation). Each run trains for
`--train-seconds` of wall time (network building and the first trace
included), then generates 10,000 images for domain FID/KID/IS.

The recipes (`RECIPES`) differ only in what a recipe chooses:

- `paper`: Radford et al. 2015, Section 4: Adam 2e-4 with beta_1 0.5 for
  both networks, the non-saturating loss, one discriminator update per
  generator update, no averaging. (What the paper's 64x64 network adds, the
  `radford` preset, does not fit 28x28 images; the batch-norm gains start
  at 1 here, not N(1, 0.02).)
- gankit's candidates: an exponential moving average of the generator
  (`ema_decay`, Yazici et al. 2019), two time-scale learning rates (TTUR,
  Heusel et al. 2017: D 4e-4, G 1e-4) and the hinge loss with SAGAN's Adam
  betas (0, 0.9) (Zhang et al. 2019).

"Best" is chosen on validation, never on the test images: `--select` trains
every recipe once (seed 0, `--train-seconds 180` by default) and scores it
against the 10,000 held-out training images; the recipe with the lowest
validation FID is gankit's best. The 15-minute row then trains `paper` and
that recipe with `--recipe R --seed N` (one command per seed, 780 s of
training and about a minute of scoring) and scores them against the 10,000
test images; `--recipe best` reads the recipe chosen by the last `--select`
from its result file.

Usage: python benchmarks/quality/dcgan_budget.py --select [--train-seconds 180]
       python benchmarks/quality/dcgan_budget.py --recipe R --seed N [--train-seconds 780]
       (R: paper, ema, ttur_ema, hinge_ttur_ema or best)
Writes benchmarks/results/quality_dcgan_budget_selection.json, or
benchmarks/results/quality_dcgan_budget_<recipe>_seed<N>.json and a grid.
"""

import argparse
import json
import sys
import time
import types

import _common
import keras
import tensorflow as tf

from gankit.models import GAN  # noqa: E402
from gankit.models import build_dcgan_discriminator  # noqa: E402
from gankit.models import build_dcgan_generator  # noqa: E402

BATCH = 128
LATENT_DIM = 100
NUM_TRAIN = 50000
SELECT_SECONDS = 180.0
ROW_SECONDS = 780.0
EMA_DECAY = 0.995

# Each recipe's training settings; the network, data, batch and latents are shared.
RECIPES = types.MappingProxyType(
    {
        "paper": {
            "loss": "non_saturating",
            "d_learning_rate": 2e-4,
            "g_learning_rate": 2e-4,
            "beta_1": 0.5,
            "beta_2": 0.999,
            "ema_decay": None,
        },
        "ema": {
            "loss": "non_saturating",
            "d_learning_rate": 2e-4,
            "g_learning_rate": 2e-4,
            "beta_1": 0.5,
            "beta_2": 0.999,
            "ema_decay": EMA_DECAY,
        },
        "ttur_ema": {
            "loss": "non_saturating",
            "d_learning_rate": 4e-4,
            "g_learning_rate": 1e-4,
            "beta_1": 0.5,
            "beta_2": 0.999,
            "ema_decay": EMA_DECAY,
        },
        "hinge_ttur_ema": {
            "loss": "hinge",
            "d_learning_rate": 4e-4,
            "g_learning_rate": 1e-4,
            "beta_1": 0.0,
            "beta_2": 0.9,
            "ema_decay": EMA_DECAY,
        },
    }
)


def build(recipe):
    """A compiled `GAN` on the shared network with `recipe`'s training settings."""
    settings = RECIPES[recipe]
    initializer = {"class_name": "RandomNormal", "config": {"mean": 0.0, "stddev": 0.02}}
    gan = GAN(
        build_dcgan_generator(latent_dim=LATENT_DIM, image_shape=(28, 28, 1), kernel_initializer=initializer),
        build_dcgan_discriminator(image_shape=(28, 28, 1), kernel_initializer=initializer),
        latent_distribution="uniform",
        ema_decay=settings["ema_decay"],
    )
    betas = {"beta_1": settings["beta_1"], "beta_2": settings["beta_2"]}
    gan.compile(
        d_optimizer=keras.optimizers.Adam(settings["d_learning_rate"], **betas),
        g_optimizer=keras.optimizers.Adam(settings["g_learning_rate"], **betas),
        loss=settings["loss"],
    )
    return gan


def splits():
    """`(train, validation)`: the first 50,000 training images and the last 10,000, in [-1, 1]."""
    images, _ = _common.real_images("train")
    return images[:NUM_TRAIN], images[NUM_TRAIN:]


def train(recipe, seed, train_images, seconds):
    """Trains `recipe` from `seed` for `seconds` of wall time; returns the model and a summary."""
    keras.utils.set_random_seed(seed)
    dataset = (
        tf.data.Dataset.from_tensor_slices(train_images)
        .shuffle(len(train_images), seed=seed, reshuffle_each_iteration=True)
        .batch(BATCH, drop_remainder=True)
        .repeat()
        .prefetch(tf.data.AUTOTUNE)
    )
    tick = time.perf_counter()  # building the networks counts towards the budget
    gan = build(recipe)
    stop = _common.StopAtTrainingTime(seconds, already=time.perf_counter() - tick)
    # More steps than any 2-core run makes in the budget; the callback ends the fit.
    history = gan.fit(dataset, epochs=1, steps_per_epoch=1_000_000, verbose=0, callbacks=[stop])
    train_seconds = time.perf_counter() - tick
    return gan, {
        "train_seconds": round(train_seconds, 1),
        "generator_updates": stop.steps,
        "real_images_seen": stop.steps * BATCH,
        "final_d_loss": float(history.history["d_loss"][-1]),
        "final_g_loss": float(history.history["g_loss"][-1]),
    }


def select(args):
    started = _common.start(0)
    train_images, validation = splits()
    rows = {}
    for recipe in RECIPES:
        gan, row = train(recipe, 0, train_images, args.train_seconds)
        fakes = gan.generate(_common.NUM_EVAL, seed=0)
        row["validation_scores"] = _common.domain_scores(fakes, real=(validation + 1.0) / 2.0, metrics=("fid",))
        rows[recipe] = {"settings": dict(RECIPES[recipe]), **row}
        print(recipe, row, flush=True)
    gankit = [recipe for recipe in RECIPES if recipe != "paper"]
    best = min(gankit, key=lambda recipe: rows[recipe]["validation_scores"]["fid"])
    _common.write_result(
        "dcgan_budget_selection",
        {
            "seed": 0,
            "batch_size": BATCH,
            "train_seconds_budget": args.train_seconds,
            "num_eval": _common.NUM_EVAL,
            "validation": f"training images {NUM_TRAIN}-{NUM_TRAIN + len(validation) - 1}",
            "rows": rows,
            "best": best,
        },
        started,
    )


def chosen_recipe():
    """The recipe `--select` chose, read from its result file."""
    path = _common.RESULTS / "quality_dcgan_budget_selection.json"
    if not path.is_file():
        sys.exit(f"--recipe best reads the choice of `--select` from {path}, which does not exist; run --select first.")
    best = json.loads(path.read_text()).get("best")
    if best not in RECIPES or best == "paper":
        sys.exit(f"{path} names no gankit recipe as best. Received: best={best!r}")
    return best


def run(args):
    started = _common.start(args.seed)
    if args.recipe == "best":
        args.recipe = chosen_recipe()
    train_images, _ = splits()
    gan, row = train(args.recipe, args.seed, train_images, args.train_seconds)
    fakes = gan.generate(_common.NUM_EVAL, seed=args.seed)
    row["scores"] = _common.domain_scores(fakes)
    row["mean_pixel"] = float(fakes.mean())
    if args.seed == 0:
        row["grid"] = _common.save_grid(fakes, f"dcgan_budget_{args.recipe}")
    _common.write_result(
        f"dcgan_budget_{args.recipe}_seed{args.seed}",
        {
            "recipe": args.recipe,
            "settings": dict(RECIPES[args.recipe]),
            "seed": args.seed,
            "batch_size": BATCH,
            "train_seconds_budget": args.train_seconds,
            "num_eval": _common.NUM_EVAL,
            "real_mean_pixel": float(((train_images + 1.0) / 2.0).mean()),
            "classifier_test_accuracy": _common.classifier().test_accuracy,
            **row,
        },
        started,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--select", action="store_true", help="train every recipe once, score on validation")
    mode.add_argument("--recipe", choices=(*RECIPES, "best"), help="the recipe to train and score on the test images")
    parser.add_argument("--seed", type=int, default=0, help="initialisation, data order and latents (with --recipe)")
    parser.add_argument("--train-seconds", type=float, default=None, help="training wall time per run")
    args = parser.parse_args(argv)
    if args.select and args.seed != 0:
        parser.error(f"--select always trains seed 0. Received: --seed {args.seed}")
    if args.train_seconds is None:
        args.train_seconds = SELECT_SECONDS if args.select else ROW_SECONDS
    if not args.train_seconds > 0:
        parser.error(f"--train-seconds must be positive. Received: --train-seconds {args.train_seconds}")
    if args.select:
        select(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
