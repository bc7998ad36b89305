import doctest
import importlib

import numpy as np
import pytest


@pytest.mark.parametrize("module", ["gankit.models.gan", "gankit.models.dcgan"])
def test_docstring_examples_run(module):
    module = importlib.import_module(module)
    result = doctest.testmod(module, globs={"np": np, **vars(module)}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    "module", ["gankit.models.cgan", "gankit.models.sgan", "gankit.models.cyclegan", "gankit.models.progan"]
)
def test_docstring_examples_of_the_chapter_families_run(module):
    module = importlib.import_module(module)
    result = doctest.testmod(module, globs={"np": np, **vars(module)}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# The shared argument names of the builders, in the one order they take them.
SHARED_ORDER = ("num_classes", "latent_dim", "image_shape")


def test_builders_share_argument_names_and_their_order():
    import inspect

    import gankit.models

    builders = [name for name in gankit.models.__all__ if name.startswith("build_")]
    assert len(builders) >= 10
    for name in builders:
        parameters = list(inspect.signature(getattr(gankit.models, name)).parameters)
        shared = [p for p in parameters if p in SHARED_ORDER]
        assert shared == sorted(shared, key=SHARED_ORDER.index), f"{name}{tuple(parameters)}"
        # One spelling per idea (`dropout_rate` is `build_unet_generator`'s deprecated alias of `dropout`).
        others = {"dropout_rate", "z_dim", "noise_dim", "n_classes", "img_shape", "input_shape"} & set(parameters)
        assert others <= ({"dropout_rate"} if name == "build_unet_generator" else set()), f"{name}: {others}"
