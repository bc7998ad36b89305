"""The TF Hub Progressive GAN (`progan-128`) as a small, checked wrapper.

"GANs in Action" chapter 6 (listing 6.5) samples faces from
`https://tfhub.dev/google/progan-128/1` with the TF1 `hub.Module` API. In
TensorFlow 2 the module is loaded with `hub.load` and called through its
`"default"` signature: input `latent_vector` `(N, 512)` float32, output dict
key `"default"` `(N, 128, 128, 3)` images in about [0, 1].

`interpolate(..., method="hypersphere")` and `find_closest_latent` follow the
TensorFlow Hub tutorial "Generating Images with Little Data Using S3GAN /
TF-Hub generative image module"
(https://www.tensorflow.org/hub/tutorials/tf_hub_generative_image_module):
its `interpolate_hypersphere(v1, v2, num_steps)` rescales `v2` to the norm of
`v1`, interpolates linearly and rescales every point back to the norm of
`v1`; its `find_closest_latent_vector` runs Adam (learning rate 0.01) on the
latent with loss `L1(G(z), target) + |‖z‖ - sqrt(latent_dim)|`.
"""

from __future__ import annotations

import numbers
import os
import warnings
from typing import Any

import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

from gankit._checks import check_int
from gankit._checks import check_number

DEFAULT_PROGAN_HANDLE = "https://tfhub.dev/google/progan-128/1"
"""TF Hub handle of the CelebA Progressive GAN at 128x128."""

SIGNATURE = "default"
INPUT_KEY = "latent_vector"
OUTPUT_KEY = "default"
INTERPOLATION_METHODS = ("slerp", "hypersphere", "linear")
"""Accepted values of `ProGANHub.interpolate(method=...)`."""


def _offline_message(handle, cache_dir, error):
    cache = cache_dir or os.environ.get("TFHUB_CACHE_DIR") or "(unset: a temporary folder)"
    return (
        f"Could not load the TF Hub module {handle!r}: {error}\n"
        "Without network access, place the model on disk yourself: download "
        f"{handle}?tf-hub-format=compressed (a .tar.gz), extract it into a folder "
        "(it holds saved_model.pb and variables/), and pass that folder as "
        "`handle=`; or extract it under the TF Hub cache directory "
        f"(TFHUB_CACHE_DIR, currently {cache}; set it with load_progan(cache_dir=...)) "
        "in the sub-folder named by the SHA-1 hex digest of the handle URL."
    )


def _as_latents(z, latent_dim, name="z"):
    z = np.asarray(z, dtype="float32")
    if z.ndim == 1:
        z = z[None]
    if z.ndim != 2 or z.shape[1] != latent_dim:
        raise ValueError(
            f"`{name}` must have shape (latent_dim,) or (n, latent_dim) with "
            f"latent_dim={latent_dim}. Received: {name}.shape={z.shape}"
        )
    if not np.all(np.isfinite(z)):
        raise ValueError(f"`{name}` must be finite. Received non-finite values.")
    return z


def interpolate_hypersphere(v1: ArrayLike, v2: ArrayLike, steps: int) -> np.ndarray:
    """The TF Hub tutorial's interpolation on the sphere of radius `‖v1‖`.

    `v2` is first rescaled to `‖v1‖`; each point `v1 + (v2' - v1) * t`,
    `t = i / (steps - 1)`, is rescaled to `‖v1‖` too. The first point is
    `v1`; the last is `v2 * ‖v1‖ / ‖v2‖` (the direction of `v2`).

    Reference: https://www.tensorflow.org/hub/tutorials/tf_hub_generative_image_module

    Args:
        v1: Start latent `(latent_dim,)`.
        v2: End latent of the same shape.
        steps: Number of points, at least 2.

    Returns:
        A float32 array `(steps, latent_dim)`.

    Raises:
        ValueError: If shapes differ, `steps < 2`, a latent is zero, or the
            vectors are opposite (a midpoint would be zero).
    """
    v1 = np.asarray(v1, "float64").ravel()
    v2 = np.asarray(v2, "float64").ravel()
    if v1.shape != v2.shape:
        raise ValueError(f"`v1` and `v2` must have the same shape. Received: {v1.shape}, {v2.shape}")
    steps = check_int(steps, name="steps", minimum=2)
    n1, n2 = np.linalg.norm(v1), np.linalg.norm(v2)
    if n1 == 0 or n2 == 0:
        raise ValueError("`v1` and `v2` must be non-zero for hypersphere interpolation.")
    v2_scaled = v2 * (n1 / n2)
    t = np.linspace(0.0, 1.0, steps)[:, None]
    points = v1 + (v2_scaled - v1) * t
    norms = np.linalg.norm(points, axis=1, keepdims=True)
    if np.any(norms < 1e-12 * n1):
        raise ValueError("`v1` and `v2` point in opposite directions; the path crosses 0.")
    return (points * (n1 / norms)).astype("float32")


class ProGANHub:
    """A loaded TF Hub Progressive GAN generator.

    Args:
        module: The object returned by `hub.load` (or `tf.saved_model.load`).
        handle: The handle it came from, for messages. Defaults to `None`.

    Raises:
        ValueError: If the module has no `"default"` signature with input
            `latent_vector` `(None, latent_dim)` float32 and output
            `"default"` `(None, height, width, 3)`.
    """

    def __init__(self, module: Any, handle: str | os.PathLike | None = None) -> None:
        self.module = module
        self.handle = handle
        signatures = getattr(module, "signatures", None)
        if signatures is None or SIGNATURE not in signatures:
            raise ValueError(
                f"The module {handle!r} has no {SIGNATURE!r} signature; expected the "
                f"progan-128 interface. Received signatures: "
                f"{list(signatures.keys()) if signatures is not None else None}"
            )
        self.signature = signatures[SIGNATURE]
        _, inputs = self.signature.structured_input_signature
        if set(inputs) != {INPUT_KEY}:
            raise ValueError(
                f"The {SIGNATURE!r} signature must take one input {INPUT_KEY!r}. "
                f"Received inputs: {sorted(inputs)} (module {handle!r})"
            )
        spec = inputs[INPUT_KEY]
        if spec.shape.rank != 2 or spec.shape[1] is None or spec.dtype != tf.float32:
            raise ValueError(
                f"Input {INPUT_KEY!r} must be float32 of shape (None, latent_dim). Received: {spec} (module {handle!r})"
            )
        outputs = self.signature.structured_outputs
        if OUTPUT_KEY not in outputs:
            raise ValueError(
                f"The {SIGNATURE!r} signature must return the key {OUTPUT_KEY!r}. "
                f"Received outputs: {sorted(outputs)} (module {handle!r})"
            )
        out = outputs[OUTPUT_KEY]
        if out.shape.rank != 4 or out.shape[-1] != 3:
            raise ValueError(
                f"Output {OUTPUT_KEY!r} must be images of shape (None, height, width, 3). "
                f"Received: {out.shape} (module {handle!r})"
            )
        self.latent_dim = int(spec.shape[1])
        self.image_shape = tuple(out.shape[1:])

    def sample_latents(self, n: int, seed: int | None = None) -> np.ndarray:
        """`n` standard-normal latents `(n, latent_dim)`, float32."""
        n = check_int(n, name="n", minimum=1)
        return np.random.default_rng(seed).standard_normal((n, self.latent_dim)).astype("float32")

    def _images(self, z):
        return self.signature(**{INPUT_KEY: z})[OUTPUT_KEY]

    def generate(
        self,
        n: int | None = None,
        *,
        seed: int | None = None,
        latents: ArrayLike | None = None,
        labels: ArrayLike | None = None,
        z: ArrayLike | None = None,
    ) -> np.ndarray:
        """Images `(N, 128, 128, 3)` float32 clipped to [0, 1].

        The signature of every gankit model's `generate`. gankit 0.1's
        `generate(z)` (latents first, or as `z=`) still works with a
        `DeprecationWarning` until 0.3.

        Args:
            n: Number of images drawn from N(0, 1) with `seed`. Defaults to
                `None`: 1 when `latents` is not given.
            seed: Seed of the draw (ignored with `latents`). Defaults to
                `None`.
            latents: Latents `(latent_dim,)` or `(N, latent_dim)`. Defaults
                to `None`.
            labels: Class labels, for conditional models only; must be
                `None`. Defaults to `None`.
            z: Deprecated name of `latents`. Defaults to `None`.

        Raises:
            ValueError: If both `n` and `latents` are given, `latents` has
                the wrong shape, or `labels` is given.
        """
        if n is not None and (not isinstance(n, numbers.Integral) or isinstance(n, bool)):
            warnings.warn(
                "ProGANHub.generate(z) is deprecated: pass `generate(latents=...)`. The first argument is "
                "the number of images in every gankit model.",
                DeprecationWarning,
                stacklevel=2,
            )
            n, z, warned = None, n, True
        else:
            warned = False
        if z is not None:
            if not warned:
                warnings.warn(
                    "ProGANHub.generate(z=...) is deprecated: pass `latents=`.", DeprecationWarning, stacklevel=2
                )
            if latents is not None:
                raise ValueError("Pass the latents once, as `latents=`. Received: both z= and latents=")
            latents = z
        if labels is not None:
            raise ValueError(
                "The TF Hub ProGAN is unconditional: `labels` must be None. "
                f"Received: labels of type {type(labels).__name__}"
            )
        if latents is not None and n is not None:
            raise ValueError("Pass `n` or `latents`, not both.")
        if latents is None:
            latents = self.sample_latents(1 if n is None else check_int(n, name="n", minimum=1), seed)
        else:
            latents = _as_latents(latents, self.latent_dim)
        return np.clip(np.asarray(self._images(tf.constant(latents))), 0.0, 1.0).astype("float32")

    def interpolate(self, z1: ArrayLike, z2: ArrayLike, steps: int, method: str = "slerp") -> np.ndarray:
        """Latents from `z1` to `z2`: `"slerp"`, `"hypersphere"` or `"linear"`.

        `"slerp"` and `"linear"` use `gankit.viz.interpolate_latents`;
        `"hypersphere"` is `interpolate_hypersphere` (TF Hub tutorial).

        Returns:
            A float32 array `(steps, latent_dim)`.

        Raises:
            ValueError: If `method` is unknown or the latents are invalid.
        """
        if method not in INTERPOLATION_METHODS:
            raise ValueError(f"`method` must be one of {INTERPOLATION_METHODS}. Received: method={method!r}")
        z1 = _as_latents(z1, self.latent_dim, "z1")[0]
        z2 = _as_latents(z2, self.latent_dim, "z2")[0]
        if method == "hypersphere":
            return interpolate_hypersphere(z1, z2, steps)
        from gankit.viz import interpolate_latents

        return interpolate_latents(z1, z2, steps, method=method)

    def interpolation_gif(
        self,
        z1: ArrayLike,
        z2: ArrayLike,
        path: str | os.PathLike,
        steps: int = 25,
        method: str = "hypersphere",
        duration: float = 0.1,
    ) -> np.ndarray:
        """Writes a GIF of the images along `interpolate(z1, z2, steps, method)`.

        Returns:
            The images `(steps, H, W, 3)` in [0, 1].

        Raises:
            TypeError: If `duration` is not a number.
            ValueError: If `duration` is NaN, infinite or below 0.01.
        """
        from gankit.viz import write_gif

        # Checked before the images are generated (`write_gif` checks it too).
        check_number(duration, name="duration", minimum=0.01)
        images = self.generate(latents=self.interpolate(z1, z2, steps, method=method))
        write_gif(images, path, duration=duration)
        return images

    def find_closest_latent(
        self,
        target: ArrayLike,
        steps: int = 200,
        learning_rate: float = 0.01,
        seed: int | None = None,
        initial_latent: ArrayLike | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Optimises a latent so that the generated image approaches `target`.

        Adam on `z`, loss `mean|G(z) - target| + |‖z‖ - sqrt(latent_dim)|`
        (the tutorial's sum-reduced L1 is replaced by the mean, so the
        norm penalty is not negligible at any image size; the tutorial's
        regularizer keeps `z` near the typical norm of a N(0, I) sample).

        Args:
            target: Image `(H, W, 3)` (or `(1, H, W, 3)`; an alpha channel is
                dropped) in [0, 1].
            steps: Optimisation steps. Defaults to `200`.
            learning_rate: Adam learning rate. Defaults to `0.01`.
            seed: Seed of the starting latent. Defaults to `None`.
            initial_latent: Starting latent instead of a random one.
                Defaults to `None`.

        Returns:
            `(z, losses)`: the final latent `(latent_dim,)` and the loss per
            step (float32 arrays).

        Raises:
            ValueError: If `target` does not match the image shape, or
                `learning_rate` is a NaN or infinite number.
        """
        if isinstance(learning_rate, numbers.Real) and not isinstance(learning_rate, bool):
            # A number is checked; a Keras learning-rate schedule goes to Adam as it is.
            from gankit._checks import check_number

            check_number(learning_rate, name="learning_rate")
        target = np.asarray(target, "float32")
        if target.ndim == 4 and target.shape[0] == 1:
            target = target[0]
        if target.ndim == 3 and target.shape[-1] == 4:
            target = target[..., :3]
        if target.shape != self.image_shape:
            raise ValueError(f"`target` must have shape {self.image_shape}. Received: {target.shape}")
        if initial_latent is None:
            initial_latent = self.sample_latents(1, seed)
        z = tf.Variable(_as_latents(initial_latent, self.latent_dim, "initial_latent"))
        import keras

        optimizer = keras.optimizers.Adam(learning_rate)
        target_t = tf.constant(target[None])
        radius = float(np.sqrt(self.latent_dim))
        losses = []
        for _ in range(int(steps)):
            with tf.GradientTape() as tape:
                images = self._images(z)
                loss = tf.reduce_mean(tf.abs(images - target_t)) + tf.abs(tf.norm(z) - radius)
            optimizer.apply_gradients([(tape.gradient(loss, z), z)])
            losses.append(float(loss))
        return z.numpy()[0], np.asarray(losses, "float32")


def load_progan(
    handle: str | os.PathLike = DEFAULT_PROGAN_HANDLE, cache_dir: str | os.PathLike | None = None
) -> ProGANHub:
    """Loads the TF Hub Progressive GAN (or a model with its signature).

    Args:
        handle: A TF Hub URL or a local SavedModel folder. Defaults to
            `DEFAULT_PROGAN_HANDLE`.
        cache_dir: When given, sets `TFHUB_CACHE_DIR` before loading.
            Defaults to `None`.

    Returns:
        A `ProGANHub`.

    Raises:
        OSError: If the module cannot be loaded (e.g. offline); the message
            explains how to place a downloaded copy.
        ValueError: If the module's signature is not progan-128's.

    Example:

        >>> gan = load_progan()  # doctest: +SKIP
        >>> gan.generate(n=4, seed=0).shape  # doctest: +SKIP
        (4, 128, 128, 3)
    """
    import tensorflow_hub as hub

    if cache_dir is not None:
        os.environ["TFHUB_CACHE_DIR"] = os.fspath(cache_dir)
    try:
        module = hub.load(os.fspath(handle))
    except Exception as error:  # network, file-system and parse errors alike
        raise OSError(_offline_message(handle, cache_dir, error)) from error
    return ProGANHub(module, handle=handle)


class _StandInProGAN(tf.Module):
    """A random linear map with progan-128's signature (see `export_test_progan`)."""

    def __init__(self, image_shape, latent_dim, seed):
        super().__init__()
        rng = np.random.default_rng(seed)
        channels = image_shape[2]
        self.kernel = tf.Variable(
            rng.normal(0.0, 0.05, (latent_dim, 4 * 4 * channels)).astype("float32"), name="kernel"
        )
        self.image_shape = tuple(image_shape)
        spec = tf.TensorSpec([None, latent_dim], tf.float32, name=INPUT_KEY)
        self.default = tf.function(self._default, input_signature=[spec])

    def _default(self, latent_vector):
        height, width, channels = self.image_shape
        x = tf.reshape(tf.matmul(latent_vector, self.kernel), (-1, 4, 4, channels))
        x = tf.image.resize(x, (height, width))
        return {OUTPUT_KEY: 0.5 + 0.6 * tf.tanh(x)}


def export_test_progan(
    path: str | os.PathLike,
    image_shape: tuple[int, int, int] | list[int] = (128, 128, 3),
    latent_dim: int = 512,
    seed: int | None = 0,
) -> str:
    """Writes a small stand-in SavedModel with the TF Hub ProGAN's signature.

    The stand-in maps latents to images with one random linear layer, a
    bilinear resize and a `tanh`; its images are smooth colour fields, not
    faces. It exists so that code written against `load_progan` (tests, the
    chapter 6 notebook in smoke mode, demos without network) runs offline.
    Like progan-128, its outputs lie slightly outside [0, 1] for large
    latents.

    Args:
        path: Folder to write the SavedModel into (created).
        image_shape: `(height, width, channels)` of the generated images.
            Defaults to `(128, 128, 3)`, progan-128's.
        latent_dim: Length of the latent vector. Defaults to 512.
        seed: Seed of the random weights. Defaults to 0.

    Returns:
        The folder as a string, to pass to `load_progan(handle=...)`.

    Raises:
        ValueError: If `image_shape` is not three positive integers or
            `latent_dim` is not a positive integer.

    Example:

        >>> handle = export_test_progan("/tmp/progan-stand-in")  # doctest: +SKIP
        >>> load_progan(handle).generate(n=2, seed=0).shape  # doctest: +SKIP
        (2, 128, 128, 3)
    """
    shape = tuple(image_shape) if isinstance(image_shape, (tuple, list)) else ()
    if len(shape) != 3 or not all(isinstance(s, int) and s > 0 for s in shape):
        raise ValueError(
            "`image_shape` must be three positive integers (height, width, channels). "
            f"Received: image_shape={image_shape!r}"
        )
    latent_dim = check_int(latent_dim, name="latent_dim", minimum=1)
    module = _StandInProGAN(shape, latent_dim, seed)
    path = os.fspath(path)
    tf.saved_model.save(module, path, signatures={SIGNATURE: module.default})
    return path
