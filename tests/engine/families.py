"""The five GAN families on tiny dense networks, for the engine's shared tests.

Imported by tests/engine/test_families.py and by the subprocess script
tests/training/resume_worker.py (which puts this folder on `sys.path`).
Every family gets 8 training examples in 4 unshuffled batches of 2, and
networks small enough that a train step traces in about a second.
"""

import keras
import numpy as np
import tensorflow as tf

from gankit.models import GAN
from gankit.models import ConditionalGAN
from gankit.models import CycleGAN
from gankit.models import SemiSupervisedGAN
from gankit.training import ProgressiveStage

FAMILIES = ("gan", "cgan", "sgan", "cyclegan", "progressive")
LATENT_DIM = 3
FEATURES = 4
NUM_CLASSES = 3
NUM_SAMPLES = 8
BATCH_SIZE = 2
STEPS_PER_EPOCH = NUM_SAMPLES // BATCH_SIZE


def _generator(name="generator"):
    return keras.Sequential([keras.Input((LATENT_DIM,)), keras.layers.Dense(FEATURES, activation="tanh")], name=name)


def _critic(name="discriminator", outputs=1):
    return keras.Sequential(
        [keras.Input((FEATURES,)), keras.layers.Dense(4), keras.layers.LeakyReLU(0.2), keras.layers.Dense(outputs)],
        name=name,
    )


def _conditional_generator():
    z = keras.Input((LATENT_DIM,))
    label = keras.Input((1,), dtype="int32")
    embedded = keras.layers.Flatten()(keras.layers.Embedding(NUM_CLASSES, LATENT_DIM)(label))
    x = keras.layers.Concatenate()([z, embedded])
    return keras.Model([z, label], keras.layers.Dense(FEATURES, activation="tanh")(x), name="generator")


def _conditional_critic():
    image = keras.Input((FEATURES,))
    label = keras.Input((1,), dtype="int32")
    embedded = keras.layers.Flatten()(keras.layers.Embedding(NUM_CLASSES, FEATURES)(label))
    x = keras.layers.Concatenate()([image, embedded])
    x = keras.layers.LeakyReLU(0.2)(keras.layers.Dense(4)(x))
    return keras.Model([image, label], keras.layers.Dense(1)(x), name="discriminator")


def _translator(name):
    return keras.Sequential([keras.Input((FEATURES,)), keras.layers.Dense(FEATURES, activation="tanh")], name=name)


def build(family, compile=True, **compile_kwargs):
    """A tiny model of `family` (a name of `FAMILIES`), compiled unless `compile=False`."""
    if family == "gan":
        model = GAN(_generator(), _critic(), ema_decay=0.9)
        # Replay and label tricks: every random draw of the step is exercised.
        compile_kwargs.setdefault("replay_pool_size", 4)
        compile_kwargs.setdefault("label_flip_rate", 0.1)
        compile_kwargs.setdefault("instance_noise", 0.05)
    elif family == "cgan":
        model = ConditionalGAN(_conditional_generator(), _conditional_critic(), NUM_CLASSES)
    elif family == "sgan":
        model = SemiSupervisedGAN(_generator(), _critic("trunk", NUM_CLASSES))
    elif family == "cyclegan":
        model = CycleGAN(
            _translator("generator_ab"),
            _translator("generator_ba"),
            _critic("discriminator_a"),
            _critic("discriminator_b"),
            pool_size=4,
        )
    elif family == "progressive":
        model = ProgressiveStage(_generator(), _critic(), LATENT_DIM)
    else:
        raise ValueError(f"unknown family {family!r}")
    if compile:
        model.compile(**compile_kwargs)
    return model


def arrays(family, seed=0):
    """The training data of `family` as a tuple of NumPy arrays (what `dataset` slices)."""
    rng = np.random.default_rng(seed)
    images = np.linspace(-1.0, 1.0, NUM_SAMPLES * FEATURES).reshape(NUM_SAMPLES, FEATURES).astype("float32")
    if family == "cgan":
        return images, rng.integers(0, NUM_CLASSES, NUM_SAMPLES).astype("int32")
    if family == "sgan":
        labels = rng.integers(0, NUM_CLASSES, NUM_SAMPLES).astype("int32")
        return (images[::-1].copy(), labels), images
    if family == "cyclegan":
        return images, -images[::-1].copy()
    return images


def dataset(family, seed=0):
    """4 unshuffled batches of 2 in the batch structure `family` trains on."""
    return tf.data.Dataset.from_tensor_slices(arrays(family, seed)).batch(BATCH_SIZE)


def optimizers(model):
    """The model's optimizers by role, in `compile` order."""
    return {role: getattr(model, role) for role in model.OPTIMIZERS}


def outputs(model, family):
    """A deterministic output of the trained model: generated or translated samples."""
    if family == "cyclegan":
        samples = np.linspace(-0.9, 0.9, 3 * FEATURES).reshape(3, FEATURES).astype("float32")
        return keras.ops.convert_to_numpy(model.generator_ab(samples))
    latents = np.linspace(-1.0, 1.0, 3 * LATENT_DIM).reshape(3, LATENT_DIM).astype("float32")
    if family == "cgan":
        return model.generate(latents=latents, labels=[0, 1, 2])
    return model.generate(latents=latents)


def state(model):
    """Every variable of the model and of its optimizers, by position and path."""
    variables = list(model.variables)
    for optimizer in optimizers(model).values():
        variables += list(optimizer.variables)
    return {f"{i:03d} {v.path}": keras.ops.convert_to_numpy(v) for i, v in enumerate(variables)}
