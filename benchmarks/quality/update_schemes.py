"""Quality benchmark: does the engine's update scheme change what a DCGAN learns?

The sources differ on where a train step's generator update gets its fakes
(issue 16 item 6): `"shared"` (gankit's default, PyTorch's DCGAN reference: one
generator pass, the generator's loss through the updated discriminator),
`"fresh"` (new latents for the generator, source 002 and the book's
`train_on_batch` loops) and `"simultaneous"` (both losses through the
discriminator before its update, source 000's one `GradientTape`). Each
scheme trains the same generic DCGAN (`build_dcgan(image_shape=(28, 28, 1))`,
the DCGAN paper's recipe, Adam 2e-4 / 0.5, batch 64, non-saturating loss) on
real Fashion-MNIST for the same number of generator updates, over the same
seeds (initialisation, data order and latents), and is scored with domain
FID/KID/IS on 10,000 generated images. The result reports each scheme's
mean and standard deviation over the seeds and its training time.

One command per scheme keeps each under 15 minutes on 2 CPU cores.

Usage: python benchmarks/quality/update_schemes.py --scheme shared|fresh|simultaneous [--updates 600] [--seeds 0,1,2]
Writes benchmarks/results/quality_update_schemes_<scheme>.json and a grid (first seed).
"""

import argparse
import statistics
import time

import _common
import keras

import data_loaders  # noqa: E402
from gankit.engine import UPDATE_SCHEMES  # noqa: E402
from gankit.models import build_dcgan  # noqa: E402

BATCH = 64


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scheme", choices=UPDATE_SCHEMES, required=True, help="the update scheme to train")
    parser.add_argument("--updates", type=int, default=600, help="generator updates per run")
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated seeds, one run per scheme each")
    args = parser.parse_args(argv)
    seeds = [int(seed) for seed in args.seeds.split(",")]
    started = _common.start()
    scheme = args.scheme
    runs = []
    for seed in seeds:
        keras.utils.set_random_seed(seed)
        tick = time.perf_counter()
        gan = build_dcgan(image_shape=(28, 28, 1), compile_kwargs={"update_scheme": scheme})
        dataset = data_loaders.fashion_mnist(batch_size=BATCH, seed=seed).repeat()
        gan.fit(dataset, epochs=1, steps_per_epoch=args.updates, verbose=0)
        train_seconds = time.perf_counter() - tick
        fakes = gan.generate(_common.NUM_EVAL, seed=seed)
        run = {"seed": seed, "train_seconds": round(train_seconds, 1), "scores": _common.domain_scores(fakes)}
        if seed == seeds[0]:
            run["grid"] = _common.save_grid(fakes, f"update_scheme_{scheme}")
        runs.append(run)
        print(scheme, seed, run["scores"]["fid"], run["train_seconds"], flush=True)
    fids = [run["scores"]["fid"] for run in runs]
    _common.write_result(
        f"update_schemes_{scheme}",
        {
            "update_scheme": scheme,
            "generator_updates": args.updates,
            "batch_size": BATCH,
            "num_eval": _common.NUM_EVAL,
            "seeds": seeds,
            "runs": runs,
            "fid_mean": statistics.mean(fids),
            "fid_std": statistics.stdev(fids) if len(fids) > 1 else 0.0,
            "train_seconds_mean": statistics.mean(run["train_seconds"] for run in runs),
        },
        started,
    )


if __name__ == "__main__":
    main()
