"""Quality metrics for GANs: IS, FID, KID, MiFID, sliced Wasserstein, feature extractors.

- Every metric function returns a `MetricResult`: a `float` (the headline
  value) carrying its `std`, `num_real`, `num_fake` and parts, with
  `as_dict()` for JSON.
- Pure functions on features or logits, float64 inside: `fid_from_features`,
  `frechet_distance`, `feature_statistics`, `inception_score_from_logits`,
  `kid_from_features`, `mifid` (with `memorization_distance`),
  `sliced_wasserstein_distance` (on images, ProGAN's protocol).
- Feature extractors: `InceptionFeatures` (Keras InceptionV3 pool3 and
  logits, weights from the Keras cache or a path) and `DomainClassifier` (a
  small CNN gankit trains on a labelled dataset for "domain" FID/IS/KID).
- `classifier_accuracy`: the share of images a classifier labels correctly
  (the SGAN chapter's test accuracy).
- Streaming evaluation: `evaluate(...)` with cached real statistics, and
  `EvaluationCallback` for `fit()`.

See `docs/metrics.md` for which numbers can be compared with which.
"""

from gankit.metrics.callbacks import EvaluationCallback
from gankit.metrics.classification import classifier_accuracy
from gankit.metrics.domain_classifier import DOMAIN_DATASETS
from gankit.metrics.domain_classifier import DomainClassifier
from gankit.metrics.evaluation import FID
from gankit.metrics.evaluation import INCEPTION_SCORE
from gankit.metrics.evaluation import KID
from gankit.metrics.evaluation import METRIC_NAMES
from gankit.metrics.evaluation import MIFID
from gankit.metrics.evaluation import EvaluationResult
from gankit.metrics.evaluation import ReferenceStatistics
from gankit.metrics.evaluation import evaluate
from gankit.metrics.evaluation import reference_statistics
from gankit.metrics.extractors import FeatureExtractor
from gankit.metrics.frechet import feature_statistics
from gankit.metrics.frechet import fid_from_features
from gankit.metrics.frechet import frechet_distance
from gankit.metrics.inception import InceptionFeatures
from gankit.metrics.inception_score import inception_score_from_logits
from gankit.metrics.kid import kid_from_features
from gankit.metrics.memorization import MiFIDResult
from gankit.metrics.memorization import memorization_distance
from gankit.metrics.memorization import mifid
from gankit.metrics.result import MetricResult
from gankit.metrics.sliced_wasserstein import SlicedWassersteinResult
from gankit.metrics.sliced_wasserstein import laplacian_pyramid
from gankit.metrics.sliced_wasserstein import sliced_wasserstein_distance

__all__ = [
    "DOMAIN_DATASETS",
    "DomainClassifier",
    "EvaluationCallback",
    "EvaluationResult",
    "FID",
    "FeatureExtractor",
    "INCEPTION_SCORE",
    "InceptionFeatures",
    "KID",
    "METRIC_NAMES",
    "MIFID",
    "MetricResult",
    "MiFIDResult",
    "ReferenceStatistics",
    "SlicedWassersteinResult",
    "classifier_accuracy",
    "evaluate",
    "feature_statistics",
    "fid_from_features",
    "frechet_distance",
    "inception_score_from_logits",
    "kid_from_features",
    "laplacian_pyramid",
    "memorization_distance",
    "mifid",
    "reference_statistics",
    "sliced_wasserstein_distance",
]
