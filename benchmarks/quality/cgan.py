"""Quality benchmark 4: does the conditional GAN draw the class it is asked for?

`build_cgan()` (chapter 8's networks and optimizers) trains on real
Fashion-MNIST with labels for the book's 12,000 iterations at batch 32; then
1,000 images per class are generated and the domain classifier (trained on
the real labels) names their class. Target: at least 90% assigned to the
requested class. Domain FID/KID/IS of the 10,000 images are reported too.

Usage: python benchmarks/quality/cgan.py [--iterations 12000]
Writes benchmarks/results/quality_cgan.json and docs/images/quality/cgan.png.
"""

import argparse
import time

import _common
import numpy as np

import data_loaders  # noqa: E402
from gankit.models import build_cgan  # noqa: E402

TARGET = 0.90


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=12000, help="training steps (the book: 12,000)")
    parser.add_argument("--batch-size", type=int, default=32, help="the book: 32")
    args = parser.parse_args(argv)
    started = _common.start()
    cgan = build_cgan(num_classes=10, latent_dim=100, image_shape=(28, 28, 1))
    dataset = data_loaders.fashion_mnist(batch_size=args.batch_size, with_labels=True, seed=_common.SEED).repeat()
    tick = time.perf_counter()
    epochs = 10
    cgan.fit(dataset, epochs=epochs, steps_per_epoch=args.iterations // epochs, verbose=2)
    train_seconds = time.perf_counter() - tick
    labels = np.repeat(np.arange(10), _common.NUM_EVAL // 10)
    fakes = cgan.generate(labels=labels, seed=_common.SEED)
    classifier = _common.classifier()
    per_class = [classifier.accuracy(fakes[labels == k], labels[labels == k]) for k in range(10)]
    share = classifier.accuracy(fakes, labels)
    grid_order = np.concatenate([np.flatnonzero(labels == k)[:10] for k in range(10)])
    _common.write_result(
        "cgan",
        {
            "iterations": args.iterations,
            "batch_size": args.batch_size,
            "train_seconds": round(train_seconds, 1),
            "requested_class_share": share,
            "requested_class_share_per_class": dict(zip(data_loaders.FASHION_MNIST_CLASS_NAMES, per_class)),
            "classifier_test_accuracy": classifier.test_accuracy,
            "target": TARGET,
            "target_met": share >= TARGET,
            "scores": _common.domain_scores(fakes),
            "grid": _common.save_grid(fakes[grid_order], "cgan", rows=10),
        },
        started,
    )


if __name__ == "__main__":
    main()
