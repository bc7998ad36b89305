"""Quality benchmark 7: Progressive GAN at 32x32, phase by phase, next to a DCGAN.

The 60,000 Fashion-MNIST training images are padded to 32x32 (two pixels of
background, -1, on each side) and `ProgressiveNetworks(target_resolution=32,
channels=1)` grows 4 -> 8 -> 16 -> 32 with the `ProgressiveGAN` driver (WGAN-GP
with drift, Adam 1e-3 / (0, 0.99), a stabilization phase at 4x4, then a
fade-in and a stabilization phase per resolution, `--images-per-phase` images
each, batch 16 as the paper below 128x128).

At the end of each resolution (after its stabilization phase) 10,000 images
are generated and scored with domain FID/KID/IS against the 10,000 test
images brought to the same resolution: padded, average-pooled to R x R (as
the driver pools the training images), nearest-upsampled back to 32x32, then
the padding is cropped off so the 28x28 domain classifier sees the layout it
was trained on. The same degradation of the training images against the test
images gives each resolution's floor. The final 32x32 FID is comparable with
the other benchmarks' numbers (same classifier, same N, same test images).

Next to it, the generic DCGAN (`build_dcgan_generator/discriminator` at
32x32, the DCGAN paper's layers, Adam 2e-4 / 0.5, non-saturating loss) is
given the same number of 32x32 images as the whole progressive run saw, at
batch 64 (`--dcgan-batch`; batch 16 would take it past the 15 minutes).

Usage: python benchmarks/quality/progan.py [--images-per-phase 10000] [--batch-size 16] [--dcgan-batch 64]
Writes benchmarks/results/quality_progan.json and two grids in docs/images/quality/.
"""

import argparse
import tempfile
import time

import _common
import numpy as np
import tensorflow as tf

from gankit.models import GAN  # noqa: E402
from gankit.models import ProgressiveNetworks  # noqa: E402
from gankit.models import build_dcgan_discriminator  # noqa: E402
from gankit.models import build_dcgan_generator  # noqa: E402
from gankit.training import ProgressiveGAN  # noqa: E402

SIZE = 32
PAD = (SIZE - 28) // 2
LATENT_DIM = 128
GRID_COLUMNS = 10


def padded(images):
    """28x28 images in [-1, 1] -> 32x32 with a background (-1) border."""
    return np.pad(images, ((0, 0), (PAD, PAD), (PAD, PAD), (0, 0)), constant_values=-1.0)


def upsampled(images):
    """R x R images -> 32x32, nearest neighbour (each pixel becomes a block)."""
    factor = SIZE // images.shape[1]
    return images.repeat(factor, axis=1).repeat(factor, axis=2)


def at_resolution(images, resolution):
    """32x32 images -> average-pooled to R x R -> nearest-upsampled to 32x32."""
    factor = SIZE // resolution
    if factor == 1:
        return images
    return upsampled(tf.nn.avg_pool2d(images, factor, factor, "VALID").numpy())


def for_classifier(images):
    """32x32 images in [-1, 1] -> the 28x28 centre in [0, 1]."""
    return np.clip((images[:, PAD : SIZE - PAD, PAD : SIZE - PAD] + 1.0) / 2.0, 0.0, 1.0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images-per-phase", type=int, default=10000, help="images shown per phase")
    parser.add_argument("--batch-size", type=int, default=16, help="the paper: 16 up to 128x128")
    parser.add_argument(
        "--dcgan-batch", type=int, default=64, help="the DCGAN's batch size (it sees the same number of images)"
    )
    args = parser.parse_args(argv)
    started = _common.start()

    train, _ = _common.real_images("train")
    test, _ = _common.real_images("test")
    train, test = padded(train), padded(test)
    latents = np.random.default_rng(_common.SEED).standard_normal((_common.NUM_EVAL, LATENT_DIM)).astype("float32")

    networks = ProgressiveNetworks(target_resolution=SIZE, latent_dim=LATENT_DIM, channels=1, seed=_common.SEED)

    def dataset_fn():
        return tf.data.Dataset.from_tensor_slices(train).shuffle(len(train), seed=_common.SEED)

    phases, resolutions, grid_rows = [], [], []
    train_seconds = 0.0
    with tempfile.TemporaryDirectory() as directory:
        driver = ProgressiveGAN(networks, directory, num_samples=0)
        for index, (resolution, kind) in enumerate(driver.phases):
            phase_tick = time.perf_counter()
            state = driver.train(
                dataset_fn, images_per_phase=args.images_per_phase, batch_sizes=args.batch_size, max_phases=1
            )
            seconds = time.perf_counter() - phase_tick
            train_seconds += seconds
            phases.append(
                {
                    "phase": index + 1,
                    "resolution": resolution,
                    "kind": kind,
                    "images_seen": state["images_seen"],
                    "seconds": round(seconds, 1),
                }
            )
            print(
                f"phase {index + 1}/{len(driver.phases)}: {kind} at {resolution}x{resolution}, {seconds:.0f} s",
                flush=True,
            )
            if kind != "stabilize":
                continue
            generator = networks.generator(resolution, fade_in=False)
            fakes = for_classifier(upsampled(generator.predict(latents, batch_size=500, verbose=0)))
            reference = for_classifier(at_resolution(test, resolution))
            resolutions.append(
                {
                    "resolution": resolution,
                    "images_seen": state["images_seen"],
                    "train_seconds": round(train_seconds, 1),
                    "scores": _common.domain_scores(fakes, reference, num_images=len(fakes)),
                    "floor": _common.domain_scores(
                        for_classifier(at_resolution(train[: _common.NUM_EVAL], resolution)), reference
                    ),
                }
            )
            print(
                f"  domain FID at {resolution}x{resolution}: {resolutions[-1]['scores']['fid']:.2f} "
                f"(floor {resolutions[-1]['floor']['fid']:.2f})",
                flush=True,
            )
            grid_rows.append(fakes[:GRID_COLUMNS])
    images_seen = phases[-1]["images_seen"]
    final = fakes

    dcgan_tick = time.perf_counter()
    gan = GAN(
        build_dcgan_generator(image_shape=(SIZE, SIZE, 1), latent_dim=LATENT_DIM),
        build_dcgan_discriminator(image_shape=(SIZE, SIZE, 1)),
        latent_distribution="normal",
    )
    gan.compile()
    steps = images_seen // args.dcgan_batch
    dataset = (
        tf.data.Dataset.from_tensor_slices(train)
        .shuffle(len(train), seed=_common.SEED)
        .repeat()
        .batch(args.dcgan_batch, drop_remainder=True)
        .prefetch(tf.data.AUTOTUNE)
    )
    gan.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=2)
    dcgan_seconds = time.perf_counter() - dcgan_tick
    dcgan_fakes = for_classifier(gan.generator.predict(latents, batch_size=500, verbose=0))
    reference = for_classifier(test)

    _common.write_result(
        "progan",
        {
            "image_size": SIZE,
            "images_per_phase": args.images_per_phase,
            "batch_size": args.batch_size,
            "num_eval": _common.NUM_EVAL,
            "phases": phases,
            "resolutions": resolutions,
            "progan": {
                "images_seen": images_seen,
                "batch_size": args.batch_size,
                "updates": images_seen // args.batch_size,
                "train_seconds": round(train_seconds, 1),
                "parameters": {
                    "generator": networks.generator(SIZE).count_params(),
                    "discriminator": networks.discriminator(SIZE).count_params(),
                },
                "scores": resolutions[-1]["scores"],
                "grid": _common.save_grid(final, "progan"),
            },
            "dcgan": {
                "images_seen": steps * args.dcgan_batch,
                "batch_size": args.dcgan_batch,
                "updates": steps,
                "train_seconds": round(dcgan_seconds, 1),
                "parameters": {
                    "generator": gan.generator.count_params(),
                    "discriminator": gan.discriminator.count_params(),
                },
                "scores": _common.domain_scores(dcgan_fakes, reference, num_images=len(dcgan_fakes)),
                "grid": _common.save_grid(dcgan_fakes, "progan_dcgan"),
            },
            "phase_grid": _common.save_grid(
                np.concatenate(grid_rows), "progan_phases", rows=len(grid_rows), columns=GRID_COLUMNS
            ),
        },
        started,
    )


if __name__ == "__main__":
    main()
