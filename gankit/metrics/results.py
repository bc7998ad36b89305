"""Metric names and `EvaluationResult`, the result type of `evaluate`."""

from __future__ import annotations

import dataclasses
import math

from gankit.metrics.result import MetricResult

# Result keys, also the names `metrics=` accepts.
FID = "fid"


KID = "kid"


INCEPTION_SCORE = "is"


MIFID = "mifid"


METRIC_NAMES = (FID, KID, INCEPTION_SCORE, MIFID)
"""Every metric `evaluate` computes, in the order results list them."""


MIFID_MEMORIZATION_DISTANCE = "mifid_memorization_distance"
"""Key of MiFID's memorization distance (before thresholding) in results."""


_NEEDS_MOMENTS = (FID,)


_NEEDS_FEATURES = (KID, MIFID)


_NEEDS_LOGITS = (INCEPTION_SCORE,)


_NEEDS_REAL = (FID, KID, MIFID)


_WITH_STD = (KID, INCEPTION_SCORE)


# -- results ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class EvaluationResult:
    """The values `evaluate` computed, each with the number of images behind it.

    FID is biased by the number of images (it grows as `N` shrinks), so a
    value means little without its `N`: `as_dict()` and `str()` always carry
    `num_real` and `num_fake`.

    Attributes:
        values: `{metric: value}` for every metric asked for, in
            `METRIC_NAMES` order.
        stds: `{metric: standard deviation}` for `"kid"` (over subsets) and
            `"is"` (over splits).
        num_real: Real images behind the values (`None` when only `"is"`,
            which needs none, was asked for).
        num_fake: Generated images behind the values.
        extractor_name: `name` of the feature extractor.
        details: Further numbers by key: with `"mifid"`,
            `MIFID_MEMORIZATION_DISTANCE` (Kaggle's mean cosine distance to
            the nearest real image, before its 0.1 threshold).
    """

    values: dict[str, float]
    stds: dict[str, float]
    num_real: int | None
    num_fake: int
    extractor_name: str
    details: dict[str, float] = dataclasses.field(default_factory=dict)

    def __getitem__(self, name: str) -> MetricResult:
        """One metric as a `MetricResult` (the convention of every metric function).

        Example: `float(result["fid"])`, `result["kid"].std`,
        `result["fid"].num_fake`.

        Raises:
            KeyError: If `name` was not computed.
        """
        if name not in self.values:
            raise KeyError(f"{name!r} was not computed; this result holds {sorted(self.values)}")
        details = {key: value for key, value in self.details.items() if key.startswith(f"{name}_")}
        return MetricResult(
            self.values[name],
            name=name,
            std=self.stds.get(name),
            num_real=None if name == INCEPTION_SCORE else self.num_real,
            num_fake=self.num_fake,
            **details,
        )

    def as_dict(self) -> dict[str, float | int | str | None]:
        """A flat JSON-ready dict: `fid`, `kid`, `kid_std`, `is`, `is_std`,
        `mifid`, `mifid_memorization_distance` (those computed), `num_real`,
        `num_fake`, `extractor`."""
        flat = {}
        for name, value in self.values.items():
            flat[name] = value
            if name in self.stds:
                std = self.stds[name]
                flat[f"{name}_std"] = None if math.isnan(std) else std  # JSON has no NaN.
        flat.update(self.details)
        flat.update(num_real=self.num_real, num_fake=self.num_fake, extractor=self.extractor_name)
        return flat

    def __str__(self):
        rows = [("metric", "value", "std", "N real", "N fake")]
        undefined = []
        for name, value in self.values.items():
            std = self.stds.get(name)
            num_real = "-" if name not in _NEEDS_REAL else str(self.num_real)
            if std is None:
                std_text = "-"
            elif math.isnan(std):
                std_text = "undefined"
                undefined.append(name)
            else:
                std_text = f"{std:.3g}"
            rows.append((name, f"{value:.6g}", std_text, num_real, str(self.num_fake)))
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
        lines.extend(f"{name}: {value:.6g}" for name, value in self.details.items())
        if KID in undefined:
            lines.append(
                "kid std undefined: every KID subset held all the images; evaluate more images than the subset size"
            )
        lines.append(f"extractor: {self.extractor_name}")
        return "\n".join(lines)


# -- argument checks ----------------------------------------------------------


def _check_metrics(metrics):
    names = (metrics,) if isinstance(metrics, str) else tuple(metrics)
    unknown = [name for name in names if name not in METRIC_NAMES]
    if unknown or not names:
        raise ValueError(f"`metrics` must name one or more of {', '.join(METRIC_NAMES)}. Received: metrics={metrics!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"`metrics` names a metric twice. Received: metrics={metrics!r}")
    return tuple(name for name in METRIC_NAMES if name in names)
