"""Every family on the engine (GAN, the chapter models, `ProgressiveStage`) under `tf.distribute` and mixed precision.

Each model is trained twice on the same global batches: on one device and
under the two-replica `mirrored_strategy` fixture. The networks are
deterministic (no random layer, no batch statistics, generators whose
output ignores the latents), so both runs must reach the same weights; a
loss that is not divided by the replica count would make the mirrored
update, summed over the replicas, twice as long (plain SGD, which unlike
Adam does not normalise the step away).
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gankit.layers import DenseSN
from gankit.models import GAN
from gankit.models.cgan import ConditionalGAN
from gankit.models.cyclegan import CycleGAN
from gankit.models.sgan import SemiSupervisedGAN
from gankit.models.sgan import build_sgan
from gankit.training.progressive import ProgressiveStage

SHAPE = (4, 4, 1)
PIXELS = 16
LATENT_DIM = 2
NUM_CLASSES = 3
GLOBAL_BATCH = 8
STEPS = 2


def sgd_pair(learning_rate=0.05):
    return keras.optimizers.SGD(learning_rate), keras.optimizers.SGD(learning_rate)


def bias_generator(z, value=0.3):
    """Images `value + b` whatever the latents: the only trainable weight is a bias.

    The first Dense maps every latent to zeros (frozen zero kernel), so the
    second Dense's kernel sees a zero input and gets a zero gradient; only
    its bias (the image) trains, deterministically.
    """
    zeros = keras.layers.Dense(PIXELS, kernel_initializer="zeros", use_bias=False, trainable=False)(z)
    image = keras.layers.Dense(PIXELS, bias_initializer=keras.initializers.Constant(value))(zeros)
    return keras.layers.Reshape(SHAPE)(image)


def null_label_term(label, units):
    """A frozen all-zero embedding: the networks take labels without using them."""
    embedded = keras.layers.Embedding(NUM_CLASSES, units, embeddings_initializer="zeros", trainable=False)(label)
    return keras.layers.Flatten()(embedded)


def conditional_networks():
    z = keras.Input((LATENT_DIM,))
    label = keras.Input((1,), dtype="int32")
    flat = keras.layers.Flatten()(bias_generator(z))
    image = keras.layers.Reshape(SHAPE)(keras.layers.Add()([flat, null_label_term(label, PIXELS)]))
    generator = keras.Model([z, label], image)
    image_in = keras.Input(SHAPE)
    label_in = keras.Input((1,), dtype="int32")
    # A spectrally normalised critic: its `sn_u` is refreshed on every call.
    logit = DenseSN(1, use_bias=False, sn_seed=3, kernel_initializer=keras.initializers.RandomNormal(seed=4))(
        keras.layers.Flatten()(image_in)
    )
    logit = keras.layers.Add()([logit, null_label_term(label_in, 1)])
    return generator, keras.Model([image_in, label_in], logit)


def images(seed, n=GLOBAL_BATCH * STEPS, shape=SHAPE):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, (n,) + shape).astype("float32")


def labels(seed, n=GLOBAL_BATCH * STEPS):
    return np.random.default_rng(seed).integers(0, NUM_CLASSES, n).astype("int32")


def build_unconditional(optimizers=None):
    generator = keras.Model(z := keras.Input((LATENT_DIM,)), bias_generator(z))
    image = keras.Input(SHAPE)
    # A spectrally normalised critic, as for the conditional model.
    logit = DenseSN(1, use_bias=False, sn_seed=5, kernel_initializer=keras.initializers.RandomNormal(seed=8))(
        keras.layers.Flatten()(image)
    )
    model = GAN(generator, keras.Model(image, logit))
    d_optimizer, g_optimizer = optimizers or sgd_pair()
    model.compile(d_optimizer, g_optimizer, loss="wasserstein", d_steps=2)
    return model


def unconditional_data():
    return tf.data.Dataset.from_tensor_slices(images(8)).batch(GLOBAL_BATCH)


def build_conditional(optimizers=None):
    generator, discriminator = conditional_networks()
    model = ConditionalGAN(generator, discriminator, num_classes=NUM_CLASSES)
    d_optimizer, g_optimizer = optimizers or sgd_pair()
    model.compile(d_optimizer, g_optimizer, loss="wasserstein")
    return model


def conditional_data():
    return tf.data.Dataset.from_tensor_slices((images(0), labels(1))).batch(GLOBAL_BATCH)


def build_semi_supervised(optimizers=None):
    generator = keras.Model(z := keras.Input((LATENT_DIM,)), bias_generator(z))
    image = keras.Input(SHAPE)
    logits = keras.layers.Dense(NUM_CLASSES, kernel_initializer=keras.initializers.RandomNormal(0.0, 0.3, seed=5))(
        keras.layers.Flatten()(image)
    )
    model = SemiSupervisedGAN(generator, keras.Model(image, logits))
    d_optimizer, g_optimizer = optimizers or sgd_pair(0.1)
    model.compile(d_optimizer, g_optimizer, supervised_optimizer=keras.optimizers.SGD(0.1))
    return model


def semi_supervised_data():
    labeled = tf.data.Dataset.from_tensor_slices((images(2), labels(3)))
    unlabeled = tf.data.Dataset.from_tensor_slices(images(4))
    return tf.data.Dataset.zip((labeled, unlabeled)).batch(GLOBAL_BATCH)


def translator():
    image = keras.Input(SHAPE)
    return keras.Model(image, keras.layers.Conv2D(1, 3, padding="same", activation="tanh")(image))


def patch_critic():
    image = keras.Input(SHAPE)
    return keras.Model(image, keras.layers.Conv2D(1, 2, strides=2)(image))


def build_cycle(optimizers=None):
    # Tiny deterministic networks (the book's U-Net takes minutes to trace
    # under two replicas); pool_size=0 keeps the random image pool out.
    model = CycleGAN(translator(), translator(), patch_critic(), patch_critic(), pool_size=0)
    model.compile(*(optimizers or sgd_pair()))
    return model


def cycle_data():
    return tf.data.Dataset.from_tensor_slices((images(5), images(6))).batch(GLOBAL_BATCH)


def build_progressive(optimizers=None):
    generator = keras.Model(z := keras.Input((LATENT_DIM,)), bias_generator(z))
    # A linear critic: its input gradient is its weight whatever the
    # interpolate, so the gradient penalty is deterministic too.
    image = keras.Input(SHAPE)
    critic = keras.layers.Dense(1, use_bias=False, kernel_initializer=keras.initializers.RandomNormal(seed=6))(
        keras.layers.Flatten()(image)
    )
    stage = ProgressiveStage(generator, keras.Model(image, critic), LATENT_DIM)
    stage.compile(*(optimizers or sgd_pair(0.01)))
    return stage


def progressive_data():
    return tf.data.Dataset.from_tensor_slices(images(7)).batch(GLOBAL_BATCH)


MODELS = {
    "unconditional": (build_unconditional, unconditional_data),
    "conditional": (build_conditional, conditional_data),
    "semi_supervised": (build_semi_supervised, semi_supervised_data),
    "cycle": (build_cycle, cycle_data),
    "progressive": (build_progressive, progressive_data),
}


def network_weights(model):
    return [v.numpy() for v in model.weights]


def train(strategy, name):
    build, data = MODELS[name]
    keras.utils.set_random_seed(0)  # same initial weights in both runs
    with strategy.scope():
        model = build()
    initial = network_weights(model)
    history = model.fit(data(), epochs=1, verbose=0)
    return model, initial, history


@pytest.mark.cpu_invariance
@pytest.mark.parametrize("name", sorted(MODELS))
def test_mirrored_update_equals_the_one_device_update(name, mirrored_strategy):
    single, initial, _ = train(tf.distribute.get_strategy(), name)
    mirrored, mirrored_initial, history = train(mirrored_strategy, name)
    for before, after in zip(mirrored_initial, initial):
        np.testing.assert_array_equal(before, after)
    assert all(np.isfinite(v).all() for v in history.history.values())
    single_weights = network_weights(single)
    moved = [not np.array_equal(a, b) for a, b in zip(initial, single_weights)]
    assert any(moved), "training did not change any weight: the comparison would be vacuous"
    # Not bit-identical: each replica reduces over its half of the batch and
    # the halves are then summed, so the sums are ordered differently than on
    # one device (and oneDNN/Eigen kernels pick batch-dependent orders, more
    # so without AVX-512). Measured: at most 3e-8 apart after these 2 steps
    # (ONEDNN_MAX_CPU_ISA=AVX2, native, or Eigen's kernels with
    # TF_ENABLE_ONEDNN_OPTS=0); rtol=1e-5/atol=1e-6 is ~30x that,
    # while the missing replica-count scaling doubles the weights' change.
    for variable, expected in zip(mirrored.weights, single_weights):
        np.testing.assert_allclose(variable.numpy(), expected, rtol=1e-5, atol=1e-6, err_msg=variable.path)


@pytest.mark.cpu_invariance
def test_spectral_norm_vectors_agree_across_replicas(mirrored_strategy):
    single, _, _ = train(tf.distribute.get_strategy(), "conditional")
    mirrored, _, _ = train(mirrored_strategy, "conditional")
    (layer,) = [la for la in mirrored.discriminator.layers if isinstance(la, DenseSN)]
    (expected,) = [la.sn_u.numpy() for la in single.discriminator.layers if isinstance(la, DenseSN)]
    replicas = [v.numpy() for v in layer.sn_u.value.values]
    assert len(replicas) == 2
    # Exact by construction: sn_u is an `only_first_replica` variable, so the
    # first replica's value is copied to the other one.
    np.testing.assert_array_equal(replicas[0], replicas[1])
    # One device vs two replicas: sums in another order (see above).
    np.testing.assert_allclose(replicas[0], expected, rtol=1e-5, atol=1e-6)


def adam_pair():
    return keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5)


@pytest.mark.parametrize("name", ["unconditional", "conditional", "semi_supervised", "cycle", "progressive"])
def test_adam_trains_under_mirrored_strategy(name, mirrored_strategy):
    # Adam's slot variables must exist before the distributed train step
    # (`compile` builds the optimizers inside the scope); created lazily in
    # replica context they fail with "You must feed a value for placeholder".
    builders = {
        "unconditional": lambda: build_unconditional(adam_pair()),
        "conditional": lambda: build_conditional(adam_pair()),
        "semi_supervised": lambda: build_semi_supervised(adam_pair()),
        "cycle": lambda: build_cycle(adam_pair()),
        "progressive": lambda: build_progressive(adam_pair()),
    }
    with mirrored_strategy.scope():
        model = builders[name]()
    history = model.fit(MODELS[name][1](), epochs=1, verbose=0)
    assert all(np.isfinite(v).all() for v in history.history.values())


def mixed_sgan():
    return build_sgan(num_classes=NUM_CLASSES, latent_dim=LATENT_DIM, image_shape=(8, 8, 1))


def mixed_stage():
    return build_progressive()


@pytest.mark.parametrize(
    "build,optimizers",
    [
        (mixed_sgan, ("d_optimizer", "g_optimizer", "supervised_optimizer")),
        (mixed_stage, ("d_optimizer", "g_optimizer")),
    ],
    ids=["semi_supervised", "progressive"],
)
def test_mixed_precision_uses_loss_scale_optimizers(build, optimizers):
    keras.mixed_precision.set_dtype_policy("mixed_float16")
    model = build()
    for name in optimizers:
        assert isinstance(getattr(model, name), keras.optimizers.LossScaleOptimizer), name
    if isinstance(model, SemiSupervisedGAN):
        x = images(10, shape=(8, 8, 1))
        data = tf.data.Dataset.zip(
            (tf.data.Dataset.from_tensor_slices((x, labels(11))), tf.data.Dataset.from_tensor_slices(x))
        ).batch(GLOBAL_BATCH)
    else:
        data = progressive_data()
    history = model.fit(data, epochs=1, verbose=0)
    assert all(np.isfinite(v).all() for v in history.history.values())
    assert all(v.dtype == "float32" for v in model.generator.trainable_weights)


def test_progressive_stage_rejects_a_shared_optimizer():
    stage = build_progressive()
    optimizer = keras.optimizers.SGD(0.1)
    with pytest.raises(ValueError, match="two optimizer objects"):
        stage.compile(optimizer, optimizer)
    with pytest.raises(TypeError, match="d_optimizer"):
        stage.compile("sgd", keras.optimizers.SGD(0.1))
