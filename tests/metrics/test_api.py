import gankit
import gankit.metrics


def test_public_names_are_pinned():
    assert sorted(gankit.metrics.__all__) == [
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
    assert "metrics" in gankit.__all__


def test_every_public_name_is_documented():
    for name in gankit.metrics.__all__:
        obj = getattr(gankit.metrics, name)
        if callable(obj):
            assert obj.__doc__ and len(obj.__doc__.strip()) > 40, name
