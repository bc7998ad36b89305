"""`MetricResult`: what every metric function of gankit returns.

One convention for FID, KID, IS, MiFID, sliced Wasserstein and the
classifier accuracy: the result **is** the headline value (a `float`
subclass: `float(result)`, arithmetic, comparisons, `round`, formatting and
`json.dumps` treat it as the number) and carries what belongs with it:

- `name`: the metric (`"fid"`, `"kid"`, `"is"`, `"mifid"`, `"swd"`,
  `"accuracy"`);
- `std`: the spread where the metric has one (KID over subsets, IS over
  splits), else `None`;
- `num_real`, `num_fake`: the sample sizes behind it (FID and KID are biased
  by them, so a value means little without them), `None` where unknown;
- `details`: further numbers by name (MiFID's parts, sliced Wasserstein per
  level), also readable as attributes.

`as_dict()` gives the flat JSON-ready form the command line writes:
`{name: value, name_std: std, num_real, num_fake, **details}`.

gankit 0.1 returned `(mean, std)` tuples from `inception_score_from_logits`
and `kid_from_features`; `mean, std = result.as_tuple()` is the new
spelling, and unpacking the result directly still works for one release
with a `DeprecationWarning`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any


class MetricResult(float):
    """A metric's headline value, a `float`, with its spread, sample sizes and parts.

    Results are immutable: setting an attribute raises `AttributeError`.

    Args:
        value: The headline number.
        name: The metric's name, e.g. `"fid"`.
        std: Its standard deviation (subsets, splits), or `None`.
            Defaults to `None`.
        num_real: Real samples behind it, or `None`. Defaults to `None`.
        num_fake: Generated samples behind it, or `None`. Defaults to `None`.
        **details: Further named numbers, readable as attributes.

    Example:

        >>> result = MetricResult(12.5, name="kid", std=0.5, num_real=100, num_fake=100)
        >>> float(result), result.std, result + 1.0
        (12.5, 0.5, 13.5)
        >>> result.as_dict()
        {'kid': 12.5, 'kid_std': 0.5, 'num_real': 100, 'num_fake': 100}
    """

    _FIELDS = ("name", "std", "num_real", "num_fake", "details")

    def __new__(
        cls,
        value: float,
        *,
        name: str,
        std: float | None = None,
        num_real: int | None = None,
        num_fake: int | None = None,
        **details: Any,
    ) -> MetricResult:
        self = super().__new__(cls, value)
        fields = {
            "name": str(name),
            "std": None if std is None else float(std),
            "num_real": None if num_real is None else int(num_real),
            "num_fake": None if num_fake is None else int(num_fake),
            "details": dict(details),
        }
        for key, field in fields.items():
            object.__setattr__(self, key, field)
        return self

    def __init__(
        self,
        value: float,
        *,
        name: str,
        std: float | None = None,
        num_real: int | None = None,
        num_fake: int | None = None,
        **details: Any,
    ) -> None:
        # Everything is set in `__new__` (a float is immutable); this
        # signature documents the arguments.
        super().__init__()

    def __setattr__(self, key, value):
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set `{key}`.")

    def __getattr__(self, key):
        details = self.__dict__.get("details", {})
        if key in details:
            return details[key]
        raise AttributeError(f"{type(self).__name__} has no attribute {key!r}")

    def __reduce__(self):
        return (_rebuild, (type(self), float(self), self.name, self.std, self.num_real, self.num_fake, self.details))

    @property
    def value(self) -> float:
        """The headline number as a plain `float`."""
        return float(self)

    def as_tuple(self) -> tuple[float, float | None]:
        """`(value, std)` as plain floats, the form gankit 0.1 returned for KID and IS."""
        return float(self), self.std

    def as_dict(self) -> dict[str, Any]:
        """The flat JSON-ready form: `{name: value, name_std: std, num_real, num_fake, **details}`.

        Entries that are `None` (no std, unknown sample sizes) are left out;
        a NaN std (undefined spread) is written as `None`, since JSON has no NaN.
        """
        flat = {self.name: float(self)}
        if self.std is not None:
            flat[f"{self.name}_std"] = None if math.isnan(self.std) else self.std
        for key in ("num_real", "num_fake"):
            if getattr(self, key) is not None:
                flat[key] = getattr(self, key)
        flat.update(self.details)
        return flat

    def __iter__(self):
        # gankit 0.1 returned `(mean, std)` from KID and IS: unpacking still works.
        warnings.warn(
            f"Unpacking a {type(self).__name__} as (mean, std) is deprecated: use `result.as_tuple()`, "
            "or `float(result)` and `result.std`.",
            DeprecationWarning,
            stacklevel=2,
        )
        return iter(self.as_tuple())


def _rebuild(cls, value, name, std, num_real, num_fake, details):
    return cls(value, name=name, std=std, num_real=num_real, num_fake=num_fake, **details)
