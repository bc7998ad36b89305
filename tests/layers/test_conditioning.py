import numpy as np
import pytest

from gankit.layers import LabelChannelEmbedding
from gankit.layers import LatentLabelEmbedding


def test_latent_harness(layer_checks, rng):
    z = rng.normal(size=(3, 4)).astype("float32")
    labels = np.array([[0], [2], [1]], "int32")
    layer_checks(LatentLabelEmbedding, {"num_classes": 3, "latent_dim": 4}, [z, labels], (3, 4), 1, 0)


def test_channel_harness(layer_checks, rng):
    images = rng.normal(size=(2, 6, 6, 3)).astype("float32")
    labels = np.array([1, 0], "int32")
    layer_checks(
        LabelChannelEmbedding, {"num_classes": 2, "image_shape": (6, 6, 3)}, [images, labels], (2, 6, 6, 4), 1, 0
    )


def test_latent_is_z_times_embedding_row(rng):
    layer = LatentLabelEmbedding(5, 3)
    z = rng.normal(size=(4, 3)).astype("float32")
    labels = np.array([4, 0, 4, 2])
    out = layer([z, labels]).numpy()
    table = layer.embedding.embeddings.numpy()
    np.testing.assert_allclose(out, z * table[labels], rtol=1e-6)
    # (batch, 1) labels, as the book feeds them, give the same result.
    np.testing.assert_allclose(layer([z, labels[:, None]]).numpy(), out, rtol=1e-6)


def test_channel_is_reshaped_embedding_row(rng):
    layer = LabelChannelEmbedding(3, image_shape=(2, 3, 1))
    images = rng.normal(size=(2, 2, 3, 1)).astype("float32")
    labels = np.array([2, 1])
    out = layer([images, labels]).numpy()
    table = layer.embedding.embeddings.numpy()
    np.testing.assert_array_equal(out[..., :1], images)
    np.testing.assert_allclose(out[..., 1], table[labels].reshape(2, 2, 3), rtol=1e-6)


def test_several_label_channels(rng):
    layer = LabelChannelEmbedding(3, image_shape=(4, 4, 3), channels=3)
    out = layer([np.zeros((2, 4, 4, 3), "float32"), np.array([0, 1])])
    assert out.shape == (2, 4, 4, 6)


@pytest.mark.parametrize(
    "cls,kwargs,error,match",
    [
        (LatentLabelEmbedding, {"num_classes": 0, "latent_dim": 4}, ValueError, "num_classes"),
        (LatentLabelEmbedding, {"num_classes": 3, "latent_dim": 2.0}, TypeError, "latent_dim"),
        (LabelChannelEmbedding, {"num_classes": 3, "image_shape": (28, 28)}, ValueError, "image_shape"),
        (LabelChannelEmbedding, {"num_classes": 3, "image_shape": (4, 4, 1), "channels": 0}, ValueError, "channels"),
    ],
)
def test_bad_arguments(cls, kwargs, error, match):
    with pytest.raises(error, match=match):
        cls(**kwargs)


def test_mismatched_inputs_rejected():
    with pytest.raises(ValueError, match="latent_dim=4"):
        LatentLabelEmbedding(3, 4)([np.zeros((2, 5), "float32"), np.array([0, 1])])
    with pytest.raises(ValueError, match="image_shape"):
        LabelChannelEmbedding(3, (4, 4, 1))([np.zeros((2, 5, 4, 1), "float32"), np.array([0, 1])])
