"""One worker of `test_multi_worker.py`: trains tiny gankit models under
`tf.distribute.MultiWorkerMirroredStrategy` (cluster from `TF_CONFIG`).

Usage: python multi_worker_worker.py OUTPUT_DIR MODEL [MODEL ...]

For each model it writes `OUTPUT_DIR/<model>.npz` (the networks' weights
before and after training) or, when training raises, `<model>.error.txt`.
The worker seeds its random generators with its task index, so identical
final weights need both the strategy's broadcast of the initial values and
its all-reduce of the gradients.
"""

import json
import os
import sys
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

# The strategy must exist before TensorFlow runs any op.
strategy = tf.distribute.MultiWorkerMirroredStrategy()

import keras  # noqa: E402

from gankit.models import GAN  # noqa: E402
from gankit.models.cgan import ConditionalGAN  # noqa: E402
from gankit.models.cyclegan import CycleGAN  # noqa: E402
from gankit.models.sgan import SemiSupervisedGAN  # noqa: E402
from gankit.training.progressive import ProgressiveStage  # noqa: E402

SHAPE = (4, 4, 1)
LATENT_DIM = 3
NUM_CLASSES = 3
GLOBAL_BATCH = 8
EXAMPLES = 32  # 4 steps


def generator():
    z = keras.Input((LATENT_DIM,))
    x = keras.layers.Dense(16, activation="tanh")(z)
    return keras.Model(z, keras.layers.Reshape(SHAPE)(x))


def critic(outputs=1):
    image = keras.Input(SHAPE)
    x = keras.layers.Dense(8)(keras.layers.Flatten()(image))
    return keras.Model(image, keras.layers.Dense(outputs)(keras.layers.LeakyReLU(0.2)(x)))


def conditional(kind):
    first = keras.Input((LATENT_DIM,) if kind == "generator" else SHAPE)
    label = keras.Input((1,), dtype="int32")
    x = keras.layers.Flatten()(first)
    embedded = keras.layers.Flatten()(keras.layers.Embedding(NUM_CLASSES, 4)(label))
    x = keras.layers.Dense(16 if kind == "generator" else 8, activation="tanh")(
        keras.layers.Concatenate()([x, embedded])
    )
    if kind == "generator":
        return keras.Model([first, label], keras.layers.Reshape(SHAPE)(x))
    return keras.Model([first, label], keras.layers.Dense(1)(x))


def translator():
    image = keras.Input(SHAPE)
    return keras.Model(image, keras.layers.Conv2D(1, 3, padding="same", activation="tanh")(image))


def patch_critic():
    image = keras.Input(SHAPE)
    return keras.Model(image, keras.layers.Conv2D(1, 2, strides=2)(image))


def sgd():
    return keras.optimizers.SGD(0.1)


def build(name):
    if name == "gan":
        model = GAN(generator(), critic())
        model.compile(sgd(), sgd())
    elif name == "conditional":
        model = ConditionalGAN(conditional("generator"), conditional("critic"), num_classes=NUM_CLASSES)
        model.compile(sgd(), sgd())
    elif name == "semi_supervised":
        model = SemiSupervisedGAN(generator(), critic(NUM_CLASSES))
        model.compile(sgd(), sgd(), supervised_optimizer=sgd())
    elif name == "progressive":
        model = ProgressiveStage(generator(), critic(), LATENT_DIM)
        model.compile(sgd(), sgd())
    elif name == "cycle":
        model = CycleGAN(translator(), translator(), patch_critic(), patch_critic(), pool_size=4)
        model.compile(sgd(), sgd())
    else:
        raise ValueError(f"Unknown model. Received: {name!r}")
    return model


def dataset(name):
    """The same deterministic global batches on every worker (fixed seed)."""
    rng = np.random.default_rng(0)
    images = rng.uniform(-1.0, 1.0, (EXAMPLES,) + SHAPE).astype("float32")
    labels = rng.integers(0, NUM_CLASSES, EXAMPLES).astype("int32")
    if name in ("gan", "progressive"):
        data = tf.data.Dataset.from_tensor_slices(images)
    elif name == "conditional":
        data = tf.data.Dataset.from_tensor_slices((images, labels))
    elif name == "semi_supervised":
        data = tf.data.Dataset.zip(
            (tf.data.Dataset.from_tensor_slices((images, labels)), tf.data.Dataset.from_tensor_slices(images[::-1]))
        )
    else:
        data = tf.data.Dataset.from_tensor_slices((images, images[::-1]))
    return data.batch(GLOBAL_BATCH)


def networks(model):
    if isinstance(model, CycleGAN):
        return [model.generator_ab, model.generator_ba, model.discriminator_a, model.discriminator_b]
    if isinstance(model, SemiSupervisedGAN):
        return [model.generator, model.trunk]
    return [model.generator, model.discriminator]


def weights(model):
    return [w for network in networks(model) for w in network.get_weights()]


def main(output_dir, names):
    task = json.loads(os.environ["TF_CONFIG"])["task"]["index"]
    for name in names:
        keras.utils.set_random_seed(task)
        try:
            with strategy.scope():
                model = build(name)
            initial = weights(model)
            model.fit(dataset(name), epochs=1, verbose=0)
            final = weights(model)
        except Exception:  # reported to the test, which shows it
            with open(os.path.join(output_dir, f"{name}.error.txt"), "w") as handle:
                handle.write(traceback.format_exc())
            continue
        np.savez(
            os.path.join(output_dir, f"{name}.npz"),
            replicas=strategy.num_replicas_in_sync,
            **{f"initial_{i}": w for i, w in enumerate(initial)},
            **{f"final_{i}": w for i, w in enumerate(final)},
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
