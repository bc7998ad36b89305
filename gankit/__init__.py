"""gankit: a Keras 3 / TensorFlow 2 reference library for GANs.

Subpackages, in import order (each imports only the ones before it; the
import test in tests/test_package.py enforces it):

- `gankit.layers`: building blocks (spectral normalization, pixel norm,
  minibatch stddev, equalized learning rate, fade-in, instance norm,
  label conditioning).
- `gankit.losses`: adversarial loss families, penalties, label tricks and
  reconstruction losses.
- `gankit.engine`: the one training engine, `AdversarialModel`, a
  `keras.Model` that owns the update loop, optimizers, checkpointed random
  state, logs and data checks of every GAN family, and `ImagePool`.
- `gankit.models`: the networks (`build_*_generator`,
  `build_*_discriminator`: plain Keras models that know nothing of the
  engine), the families on the engine (`GAN`, `ConditionalGAN`,
  `SemiSupervisedGAN`, `CycleGAN`, `ProgressiveStage`) and the recipes (`build_dcgan`,
  `build_cgan`, ...: networks + family + the source's settings).
- `gankit.training`: the callbacks that watch and save training and the
  Progressive GAN driver (`ProgressiveGAN`); it re-exports `GAN` and
  `ProgressiveStage`.

Beside that chain, importing none of the engine, models or training:

- `gankit.metrics`: IS, FID, KID, MiFID, sliced Wasserstein, feature
  extractors and streaming evaluation.
- `gankit.hub`: the pretrained ProGAN of TF Hub (generate, interpolate,
  find the latent closest to an image).
- `gankit.viz`: image grids, interpolation strips, GIFs, loss plots, image
  export (imported by `gankit.training` and `gankit.hub`).

The subpackages load on first use (`gankit.models`, `from gankit import
models`), so `import gankit` and the `gankit` command's `--help` do not pay
for importing TensorFlow. `gankit.load_model` loads any `.keras` file gankit
wrote, in a fresh interpreter too: it loads every subpackage first, which
registers gankit's layers and models with Keras.

The `gankit` command (`gankit.cli`) trains, samples and evaluates from the
shell.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

__version__ = "0.2.0"

_SUBPACKAGES = ("engine", "hub", "layers", "losses", "metrics", "models", "training", "viz")

__all__ = ["__version__", "engine", "hub", "layers", "load_model", "losses", "metrics", "models", "training", "viz"]


def __getattr__(name: str) -> Any:
    # PEP 562: `gankit.models` imports gankit.models on first access.
    if name in _SUBPACKAGES:
        return importlib.import_module(f"gankit.{name}")
    raise AttributeError(f"module 'gankit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SUBPACKAGES))


def load_model(path: str | os.PathLike, *, safe_mode: bool = True, compile: bool = True) -> Any:
    """Loads a `.keras` file written by gankit (or any Keras model).

    `keras.saving.load_model` finds gankit's classes (`GAN`, `ConvSN2D`, ...)
    only once the module that registers them has been imported; in a fresh
    interpreter it fails with "Could not locate class 'GAN'". This function
    imports every gankit subpackage first, so it works whatever was
    imported before. `keras.saving.load_model` itself works as well after
    `import gankit.models` (or whichever subpackage defines the class).

    Args:
        path: A `.keras` file. A missing file raises `FileNotFoundError`.
        safe_mode: Refuse files that carry Python code (`Lambda` layers);
            gankit's own files never do. Defaults to `True`.
        compile: Restore the training configuration saved with the model.
            Defaults to `True`.

    Returns:
        The model, e.g. a `gankit.models.GAN` or a generator `keras.Model`.

    Raises:
        FileNotFoundError: If `path` is not a file.
        ValueError: If the file is not a Keras archive or, with
            `safe_mode=True`, carries code.

    Example:

        >>> import gankit
        >>> gan = gankit.load_model("runs/x/gan.keras")  # doctest: +SKIP
        >>> images = gan.generate(16, seed=0)  # doctest: +SKIP
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f"load_model() needs an existing .keras file. Received: path={os.fspath(path)!r}")
    import zipfile

    if not zipfile.is_zipfile(path):
        size = os.path.getsize(path)
        raise ValueError(
            f"{os.fspath(path)!r} is not a .keras file (a zip archive): it "
            f"{'is empty' if size == 0 else f'holds {size} bytes of something else'}."
        )
    for name in _SUBPACKAGES:
        importlib.import_module(f"gankit.{name}")
    import keras

    return keras.saving.load_model(path, safe_mode=safe_mode, compile=compile)
