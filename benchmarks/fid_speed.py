"""FID speed: gankit's eigh-based `frechet_distance` against the sqrtm formula.

Both compute the Fréchet distance between the same two 2048-d Gaussians
(InceptionV3 pool3 size), fitted to random non-negative, correlated features
(default 4096 samples per set, as ReLU-averaged pool features are):

- **sqrtm**: the formula of TTUR, pytorch-fid and Kaggle's MiFID kernel (the
  tutorials' way): `scipy.linalg.sqrtm(sigma1 @ sigma2)`, a Schur
  decomposition of the non-symmetric product, then the real part's trace.
- **gankit**: `gankit.metrics.frechet.frechet_distance`: `eigh` of `sigma1`,
  then the eigenvalues of the symmetric `sqrt(sigma1) sigma2 sqrt(sigma1)`
  (float64 throughout).

The machine is shared and noisy, so the two alternate, one call each per
repeat, and the report is the median over repeats of the per-repeat time
ratio, plus the relative difference of the two values (they must agree to
1e-6; the test suite checks the same against sqrtm).

Usage: python benchmarks/fid_speed.py [--repeats 5] [--samples 4096] [--dim 2048]
Writes benchmarks/results/fid_speed.json.
"""

import argparse
import json
import os
import pathlib
import platform
import statistics
import time
import warnings

import numpy as np
import scipy
import scipy.linalg

from gankit.metrics.frechet import feature_statistics
from gankit.metrics.frechet import frechet_distance

RESULTS = pathlib.Path(__file__).resolve().parent / "results" / "fid_speed.json"


def sqrtm_frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    """TTUR's `calculate_frechet_distance` (Heusel et al., 2017)."""
    difference = mu1 - mu2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "matrix is singular" on rank-deficient input
        covmean = scipy.linalg.sqrtm(sigma1 @ sigma2)
        if not np.isfinite(covmean).all():
            offset = np.eye(sigma1.shape[0]) * eps
            covmean = scipy.linalg.sqrtm((sigma1 + offset) @ (sigma2 + offset))
    covmean = np.real(covmean)
    return float(difference @ difference + np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(covmean))


def random_statistics(rng, samples, dim):
    """Statistics of non-negative, correlated features, one pair of sets."""
    mixing = rng.standard_normal((dim, dim)) / np.sqrt(dim)
    real = np.abs(rng.standard_normal((samples, dim)) @ mixing)
    fake = np.abs(rng.standard_normal((samples, dim)) @ mixing * 1.1 + 0.05)
    return (*feature_statistics(real), *feature_statistics(fake))


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="alternating timed calls per method")
    parser.add_argument("--samples", type=int, default=4096, help="feature vectors per set")
    parser.add_argument("--dim", type=int, default=2048, help="feature dimension")
    args = parser.parse_args(argv)

    statistics_pair = random_statistics(np.random.default_rng(0), args.samples, args.dim)
    frechet_distance(*statistics_pair)  # warm-up: BLAS threads, page faults

    gankit_times, sqrtm_times, ratios, differences = [], [], [], []
    for repeat in range(args.repeats):
        gankit_value, gankit_time = timed(frechet_distance, *statistics_pair)
        sqrtm_value, sqrtm_time = timed(sqrtm_frechet_distance, *statistics_pair)
        gankit_times.append(gankit_time)
        sqrtm_times.append(sqrtm_time)
        ratios.append(sqrtm_time / gankit_time)
        differences.append(abs(gankit_value - sqrtm_value) / abs(sqrtm_value))
        print(
            f"repeat {repeat + 1}/{args.repeats}: gankit {gankit_time:6.2f} s, "
            f"sqrtm {sqrtm_time:6.2f} s (ratio {ratios[-1]:5.1f}x); "
            f"FID {gankit_value:.6f} vs {sqrtm_value:.6f}",
            flush=True,
        )

    result = {
        "benchmark": "fid_speed",
        "dim": args.dim,
        "samples_per_set": args.samples,
        "repeats": args.repeats,
        "gankit_seconds_median": statistics.median(gankit_times),
        "sqrtm_seconds_median": statistics.median(sqrtm_times),
        "ratio_median": statistics.median(ratios),
        "ratios": ratios,
        "gankit_seconds": gankit_times,
        "sqrtm_seconds": sqrtm_times,
        "fid": gankit_value,
        "max_relative_difference": max(differences),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"NumPy {np.__version__}, SciPy {scipy.__version__}"
        ),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"median: gankit {result['gankit_seconds_median']:.2f} s, sqrtm "
        f"{result['sqrtm_seconds_median']:.2f} s, ratio {result['ratio_median']:.1f}x; "
        f"values agree to {result['max_relative_difference']:.1e} relative"
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
