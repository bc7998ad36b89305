"""Quality benchmark 4: does the conditional GAN draw the class it is asked for?

`build_cgan()` (chapter 8's networks, the book's `Adam()` optimizers, its
fresh-latent update loop and its two discriminator steps per iteration, real
batch then fakes) trains on real Fashion-MNIST with labels for the
book's 12,000 iterations at batch 32 by default (`make bench` runs 10,000,
what fits in 15 minutes on 2 CPU cores); then 1,000 images per class are
generated and the domain classifier (trained on the real labels) names their
class. The classifier misreads real images too, so the share is reported
against its accuracy on the 10,000 real test images, overall and per class
(fakes that are more typical of their class than real ones can exceed it).

Targets: the share in the requested class at least 98% of the classifier's
real-image accuracy, and every class within 10 points of its real-image
accuracy. Domain FID/KID/IS of the 10,000 fakes are reported too (IS shuffles
before its splits, so the class-sorted fakes do not sit one class per split).

One command per seed (initialisations, data order and latents follow it).

Usage: python benchmarks/quality/cgan.py --seed 0 [--iterations 10000]
Writes benchmarks/results/quality_cgan_seed<seed>.json and docs/images/quality/cgan_seed<seed>.png.
"""

import argparse
import time

import _common
import numpy as np

import data_loaders  # noqa: E402
from gankit.models import build_cgan  # noqa: E402

RELATIVE_TARGET = 0.98  # share / the classifier's accuracy on real images
PER_CLASS_POINTS = 10.0  # largest allowed gap to a class's real-image accuracy


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=12000, help="training steps (the book: 12,000)")
    parser.add_argument("--batch-size", type=int, default=32, help="the book: 32")
    parser.add_argument("--seed", type=int, default=0, help="initialisations, data order and latents")
    args = parser.parse_args(argv)
    started = _common.start(args.seed)
    cgan = build_cgan(num_classes=10, latent_dim=100, image_shape=(28, 28, 1))
    dataset = data_loaders.fashion_mnist(batch_size=args.batch_size, with_labels=True, seed=args.seed).repeat()
    tick = time.perf_counter()
    epochs = 10
    cgan.fit(dataset, epochs=epochs, steps_per_epoch=args.iterations // epochs, verbose=2)
    train_seconds = time.perf_counter() - tick

    classifier = _common.classifier()
    names = data_loaders.FASHION_MNIST_CLASS_NAMES
    x_test, y_test = _common.real_images("test")
    x_test = (x_test + 1.0) / 2.0
    real_accuracy = classifier.accuracy(x_test, y_test)
    real_per_class = [classifier.accuracy(x_test[y_test == k], y_test[y_test == k]) for k in range(10)]

    labels = np.repeat(np.arange(10), _common.NUM_EVAL // 10)
    fakes = cgan.generate(labels=labels, seed=args.seed)
    share = classifier.accuracy(fakes, labels)
    per_class = [classifier.accuracy(fakes[labels == k], labels[labels == k]) for k in range(10)]
    gaps = [100.0 * (real - fake) for real, fake in zip(real_per_class, per_class)]
    relative = share / real_accuracy
    grid_order = np.concatenate([np.flatnonzero(labels == k)[:10] for k in range(10)])
    _common.write_result(
        f"cgan_seed{args.seed}",
        {
            "seed": args.seed,
            "iterations": args.iterations,
            "batch_size": args.batch_size,
            "update_scheme": cgan.training_options["update_scheme"],
            "d_update": cgan.training_options["d_update"],
            "train_seconds": round(train_seconds, 1),
            "requested_class_share": share,
            "classifier_real_accuracy": real_accuracy,
            "relative_share": relative,
            "per_class": {
                name: {"share": fake, "real_accuracy": real, "gap_points": gap}
                for name, fake, real, gap in zip(names, per_class, real_per_class, gaps)
            },
            "largest_gap_points": max(gaps),
            "relative_target": RELATIVE_TARGET,
            "per_class_points_target": PER_CLASS_POINTS,
            "relative_target_met": relative >= RELATIVE_TARGET,
            "per_class_target_met": max(gaps) <= PER_CLASS_POINTS,
            "scores": _common.domain_scores(fakes),
            "grid": _common.save_grid(fakes[grid_order], f"cgan_seed{args.seed}", rows=10),
        },
        started,
    )


if __name__ == "__main__":
    main()
