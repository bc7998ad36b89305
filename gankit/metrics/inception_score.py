"""Inception score from classifier logits.

The inception score (Salimans et al., 2016) rewards generated images that a
classifier labels confidently (a peaked `p(y|x)`) and that together cover
many classes (a flat marginal `p(y)`):

    IS = exp(E_x[KL(p(y|x) || p(y))]).

It lies between 1 (every image gets the same prediction) and the number of
classes (confident predictions spread evenly over all classes). Higher is
better. The classifier is normally InceptionV3's ImageNet logits
(`gankit.metrics.extractors`); with another classifier the score measures
the same two properties in that classifier's label space and is only
comparable for the same classifier.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from gankit._checks import check_bool
from gankit._checks import check_int
from gankit._checks import check_seed
from gankit.metrics._inputs import as_float64_array
from gankit.metrics._inputs import canonical_order
from gankit.metrics.result import MetricResult


def inception_score_from_logits(
    logits: ArrayLike, *, splits: int = 10, shuffle: bool = True, seed: int = 0
) -> MetricResult:
    """Inception score (mean and standard deviation over splits) of logits.

    Follows the protocol of the original implementation and of TTUR and
    torch-fidelity: `p(y|x) = softmax(logits)`; the samples are shuffled
    (as torch-fidelity does by default) and cut into `splits` contiguous
    parts (part `k` is rows
    `k * n // splits` to `(k + 1) * n // splits`, so sizes differ by at most
    one); in each part `p(y)` is the mean of `p(y|x)` over the part and the
    score is `exp(mean_x KL(p(y|x) || p(y)))`. Returns the mean and the
    population standard deviation (`ddof=0`, as those implementations) of
    the per-part scores. Computed in float64 with `log p(y|x)` taken as
    log-softmax, so large logits neither overflow nor give `0 * log 0`
    terms.

    Only logits are accepted, not probabilities: softmax of probabilities
    would silently give a different score. Contiguous splits of samples in
    class order would each hold one class and score about 1, so with
    `shuffle=True` the rows are first put in an order that depends only on
    their values (`canonical_order`) and then permuted by `seed`: the score
    is the same for any order of the same logits. `shuffle=False` splits in
    the order given, the reference implementations' loop on already shuffled
    samples. The score depends on `splits` and on the number
    of samples; the standard setting is 50,000 images and 10 splits. It does
    not depend on the batch size used to compute the logits.

    Reference: [Salimans et al., 2016](https://arxiv.org/abs/1606.03498),
    section 4; [Barratt & Sharma, 2018](https://arxiv.org/abs/1801.01973)
    on its caveats.

    Args:
        logits: Classifier logits (pre-softmax), shape
            `(num_samples, num_classes)`, any real dtype.
        splits: Number of contiguous parts to score separately, between 1
            and `num_samples`. Defaults to `10`.
        shuffle: Shuffle the samples (order-independently, above) before
            splitting. Defaults to `True`.
        seed: Seed of that shuffle (`numpy.random.default_rng`), or `None`
            for a fresh one. Defaults to `0`.

    Returns:
        A `gankit.metrics.MetricResult` named `"is"`: the mean score over
        the splits (a float in `[1, num_classes]`), with `std`, its
        standard deviation (0 for `splits=1`), and `num_fake`.
        `mean, std = result.as_tuple()` gives gankit 0.1's tuple.

    Raises:
        TypeError: If `logits` is not real-valued, `splits` or `seed` is
            not an integer, or `shuffle` is not a bool.
        ValueError: If `logits` is not 2-D or holds NaN or infinite values,
            or `splits` is not between 1 and `num_samples`.

    Example:

        >>> logits = 100.0 * np.eye(4)[np.arange(8) % 4]  # 4 classes, evenly
        >>> mean, std = inception_score_from_logits(logits, splits=1).as_tuple()
        >>> round(mean, 6), round(std, 6)
        (4.0, 0.0)
        >>> sorted_by_class = logits[np.argsort(np.arange(8) % 4)]  # one class per split if not shuffled
        >>> round(inception_score_from_logits(sorted_by_class, splits=4, shuffle=False).value, 6)
        1.0
    """
    logits = as_float64_array(logits, "logits", 2, "(num_samples, num_classes)")
    splits = check_int(splits, name="splits", minimum=1)
    num_samples = logits.shape[0]
    if splits > num_samples:
        raise ValueError(
            "`splits` must not exceed the number of samples, so that every "
            f"split holds at least one. Received: splits={splits} with "
            f"logits.shape={logits.shape}"
        )
    if check_bool(shuffle, name="shuffle"):
        seed = check_seed(seed)
        logits = logits[canonical_order(logits)]
        logits = logits[np.random.default_rng(seed).permutation(num_samples)]
    log_p = logits - np.max(logits, axis=1, keepdims=True)
    log_p -= np.log(np.sum(np.exp(log_p), axis=1, keepdims=True))
    p = np.exp(log_p)
    scores = []
    for k in range(splits):
        start, stop = k * num_samples // splits, (k + 1) * num_samples // splits
        p_part, log_p_part = p[start:stop], log_p[start:stop]
        p_marginal = np.mean(p_part, axis=0, keepdims=True)
        # Where p(y|x) underflows to 0 the KL term is 0 (p log p -> 0); the
        # `where` also avoids log(0) when a whole part gives a class 0.
        with np.errstate(divide="ignore", invalid="ignore"):
            log_marginal = np.log(p_marginal)
            terms = p_part * (log_p_part - log_marginal)
        terms = np.where(p_part > 0.0, terms, 0.0)
        scores.append(np.exp(np.mean(np.sum(terms, axis=1))))
    return MetricResult(float(np.mean(scores)), name="is", std=float(np.std(scores)), num_fake=num_samples)
