"""Quality benchmark 2: the `mlm_mnist` DCGAN, gankit's `fit()` against the tutorial loop.

Both train source 002's networks (Machine Learning Mastery's MNIST GAN, the
`mlm_mnist` preset: the tutorial's sigmoid generator on pixels in [0, 1],
Adam 2e-4 / 0.5, normal latents, non-saturating loss) on real Fashion-MNIST
for the same number of real images seen, then generate 10,000 images for
domain FID/KID/IS:

- **tutorial**: the tutorial's own loop (`TutorialLoop` of
  `benchmarks/train_throughput.py`): per iteration 128 real + 128 fake images
  through `train_on_batch`, then 256 latents through the composite model.
- **gankit**: `build_dcgan(preset="mlm_mnist")` (the tutorial's recipe,
  fresh latents for the generator update) and `fit()` at batch 256
  (`--gankit-batch`), so one step uses 256 real images, twice the tutorial's
  iteration; `--gankit-batch 128` matches the tutorial's discriminator batch
  (128 real + 128 fake), so both make the same updates on the same images.
- **gankit, equal time** (with `--seed`): the same model trained on until its
  training time equals the tutorial's, scored again.

`--seed N` chooses the initialisations, the data order and the latents of
both recipes (one command per seed; without it, seed 0 and the file name of
the single-seed runs).

`--networks generic` runs the same two recipes on the generic DCGAN
(`build_dcgan_generator/discriminator(image_shape=(28, 28, 1))`, the DCGAN
paper's layers, tanh on [-1, 1]). (gankit before 0.2.0 gave the `mlm_mnist`
generator a tanh output on [-1, 1]; that network stayed all black on
Fashion-MNIST in both loops. With the tutorial's sigmoid it learns.)

Usage: python benchmarks/quality/dcgan_mlm.py [--real-images 64000 | --updates 500] [--networks mlm_mnist|generic]
       [--gankit-batch 256] [--seed N]
Writes benchmarks/results/quality_dcgan_<networks>[_<budget>][_seed<N>].json and its grids in docs/images/quality/.
"""

import argparse
import pathlib
import sys
import time

import _common
import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from train_throughput import BATCH  # noqa: E402
from train_throughput import LATENT_DIM  # noqa: E402
from train_throughput import TutorialLoop  # noqa: E402

import data_loaders  # noqa: E402
from gankit.engine import generator_output_range  # noqa: E402
from gankit.models import GAN  # noqa: E402
from gankit.models import build_dcgan  # noqa: E402
from gankit.models import build_dcgan_discriminator  # noqa: E402
from gankit.models import build_dcgan_generator  # noqa: E402


def networks(kind):
    """A fresh (generator, discriminator) pair of the chosen kind."""
    if kind == "mlm_mnist":
        return build_dcgan_generator(preset="mlm_mnist"), build_dcgan_discriminator(preset="mlm_mnist")
    return (
        build_dcgan_generator(image_shape=(28, 28, 1), latent_dim=LATENT_DIM),
        build_dcgan_discriminator(image_shape=(28, 28, 1)),
    )


def generate(generator, n, seed):
    latents = np.random.default_rng(seed).standard_normal((n, LATENT_DIM)).astype("float32")
    images = generator.predict(latents, batch_size=500, verbose=0)
    low, high = generator_output_range(generator)
    return np.clip((images - low) / (high - low), 0.0, 1.0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real-images", type=int, default=64000, help="real training images each recipe sees")
    parser.add_argument("--networks", choices=("mlm_mnist", "generic"), default="mlm_mnist")
    parser.add_argument(
        "--updates",
        type=int,
        default=None,
        help="give both recipes this many generator updates instead of the same real images "
        "(the tutorial's iteration uses half as many real images as gankit's step)",
    )
    parser.add_argument(
        "--gankit-batch",
        type=int,
        default=BATCH,
        help="gankit's batch size; 128 gives each discriminator update the tutorial's 128 real + 128 fake "
        "images, so both recipes make the same updates on the same real images",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="initialisations, data order and latents; also trains gankit on to the tutorial's time",
    )
    args = parser.parse_args(argv)
    seed = _common.SEED if args.seed is None else args.seed
    started = _common.start(seed)
    budget = "_".join(
        ([f"updates{args.updates}"] if args.updates else [])
        + ([f"images{args.real_images}"] if not args.updates and args.real_images != 64000 else [])
        + ([f"batch{args.gankit_batch}"] if args.gankit_batch != BATCH else [])
        + ([f"seed{args.seed}"] if args.seed is not None else [])
    )
    images, _ = _common.real_images("train")
    rows = {}

    tick = time.perf_counter()
    tutorial = TutorialLoop(images, *networks(args.networks), seed=seed)
    iterations = args.updates or args.real_images // (BATCH // 2)
    for i in range(iterations):
        tutorial.step()
        if (i + 1) % 50 == 0:
            print(f"tutorial: iteration {i + 1}/{iterations}", flush=True)
    tutorial_seconds = time.perf_counter() - tick
    fakes = generate(tutorial.generator, _common.NUM_EVAL, seed)
    rows["tutorial"] = {
        "recipe": "source 002's train_on_batch loop with the composite model",
        "updates": iterations,
        "real_images_seen": iterations * (BATCH // 2),
        "train_seconds": round(tutorial_seconds, 1),
        "mean_pixel": float(fakes.mean()),
        "scores": _common.domain_scores(fakes),
        "grid": _common.save_grid(fakes, f"dcgan_{args.networks}{budget and '_' + budget}_tutorial"),
    }

    tick = time.perf_counter()  # building the networks counts, as in the tutorial's time
    if args.networks == "mlm_mnist":
        gan = build_dcgan(preset="mlm_mnist")  # the tutorial's optimizers, loss, latents and update scheme
    else:
        gan = GAN(*networks(args.networks), latent_distribution="normal")
        gan.compile()  # Adam(2e-4, beta_1=0.5) for both and the non-saturating loss: the tutorial's settings
    steps = args.updates or args.real_images // args.gankit_batch
    dataset = data_loaders.fashion_mnist(batch_size=args.gankit_batch, seed=seed, value_range=gan.output_range).repeat()
    gan.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=2)
    gankit_seconds = time.perf_counter() - tick
    recipe = (
        f"build_dcgan(preset={args.networks!r}).fit() at batch {args.gankit_batch}"
        if args.networks == "mlm_mnist"
        else f"GAN.fit() at batch {args.gankit_batch}, Adam 2e-4 / 0.5, non-saturating loss, normal latents"
    ) + f", pixels in {list(gan.output_range)}"

    def gankit_row(updates, seconds, suffix=""):
        fakes = generate(gan.generator, _common.NUM_EVAL, seed)
        return {
            "recipe": recipe,
            "updates": updates,
            "real_images_seen": updates * args.gankit_batch,
            "train_seconds": round(seconds, 1),
            "mean_pixel": float(fakes.mean()),
            "scores": _common.domain_scores(fakes),
            "grid": _common.save_grid(fakes, f"dcgan_{args.networks}{budget and '_' + budget}_gankit{suffix}"),
        }

    rows["gankit"] = gankit_row(steps, gankit_seconds)
    if args.seed is not None and gankit_seconds < tutorial_seconds:
        # Trained on (same model, same optimizer state) until its training time equals the tutorial's.
        stop = _common.StopAtTrainingTime(tutorial_seconds, already=gankit_seconds)
        tick = time.perf_counter()
        gan.fit(dataset, epochs=1, steps_per_epoch=10 * steps, verbose=2, callbacks=[stop])
        rows["gankit_equal_time"] = gankit_row(steps + stop.steps, gankit_seconds + time.perf_counter() - tick, "_time")
    _common.write_result(
        f"dcgan_{args.networks}" + (f"_{budget}" if budget else ""),
        {
            "networks": args.networks,
            "seed": args.seed,
            "budget": budget or f"{args.real_images} real images",
            "num_eval": _common.NUM_EVAL,
            "rows": rows,
            "real_mean_pixel": float(((images + 1.0) / 2.0).mean()),
            "classifier_test_accuracy": _common.classifier().test_accuracy,
        },
        started,
    )


if __name__ == "__main__":
    main()
