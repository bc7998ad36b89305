"""Quality benchmark 1, the metric floor: what "perfect" reads.

Domain FID/KID/IS between 10,000 real training images and the 10,000 real
test images of Fashion-MNIST, and the domain classifier's test accuracy.
No generator can be expected to beat these numbers at the same N.

Usage: python benchmarks/quality/metric_floor.py
Writes benchmarks/results/quality_metric_floor.json.
"""

import _common
import numpy as np


def main():
    started = _common.start()
    images, _ = _common.real_images("train")
    rng = np.random.default_rng(_common.SEED)
    train = images[rng.choice(len(images), _common.NUM_EVAL, replace=False)]
    train01 = (train + 1.0) / 2.0
    scores = _common.domain_scores(train01)
    classifier = _common.classifier()
    grid = _common.save_grid(train01, "real_train")
    _common.write_result(
        "metric_floor",
        {
            "what": "10,000 real training images vs the 10,000 real test images",
            "classifier": classifier.name,
            "classifier_test_accuracy": classifier.test_accuracy,
            "scores": scores,
            "grid": grid,
        },
        started,
    )


if __name__ == "__main__":
    main()
