"""Every gankit model saves to `.keras` and loads with `safe_mode=True`.

A `.keras` file can carry Python code only through `Lambda` layers (their
bytecode is marshalled into the config). gankit uses none, so its files load
in Keras' safe mode, and a file that does carry code is refused unless the
user opts out explicitly (`safe_mode=False`).
"""

import ast
import pathlib

import keras
import numpy as np
import pytest

from gankit import cli
from gankit.models import DCGAN_PRESET_NAMES
from gankit.models import build_cgan
from gankit.models import build_cyclegan
from gankit.models import build_dcgan
from gankit.models import build_progan
from gankit.models import build_sgan

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _builders():
    small = {"slim": {"final_size": 16, "depth": 8}}  # the other presets fix their sizes
    for preset in DCGAN_PRESET_NAMES:
        kwargs = small.get(preset, {})
        yield f"dcgan-{preset}", lambda preset=preset, kwargs=kwargs: build_dcgan(preset=preset, **kwargs)
    yield "dcgan-generic", lambda: build_dcgan(image_shape=(16, 16, 1))
    yield "cgan", lambda: build_cgan(num_classes=3, latent_dim=8, image_shape=(28, 28, 1))
    yield "cgan-projection", lambda: build_cgan(num_classes=3, latent_dim=8, projection=True)
    yield "sgan", lambda: build_sgan(num_classes=3, latent_dim=8)
    yield "cyclegan-unet", lambda: build_cyclegan(image_shape=(32, 32, 1), generator_filters=4, discriminator_filters=4)
    yield "cyclegan-resnet", lambda: build_cyclegan(
        image_shape=(32, 32, 1), generator="resnet", generator_filters=4, discriminator_filters=4,
        num_residual_blocks=1,
    )  # fmt: skip
    yield "progan-8", lambda: keras.Sequential(
        [keras.Input((8,)), build_progan(target_resolution=8, latent_dim=8, channels=1,
                                         filters=4, resolution=8, alpha=0.5).generator]
    )  # fmt: skip


BUILDERS = dict(_builders())


def _all_layers(model):
    yield from model._flatten_layers(include_self=False, recursive=True)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_model_round_trips_in_safe_mode_without_lambda(name, tmp_path):
    model = BUILDERS[name]()
    assert not any(isinstance(layer, keras.layers.Lambda) for layer in _all_layers(model))
    path = tmp_path / f"{name}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert type(loaded) is type(model)
    expected = [w.numpy() for w in model.weights]
    restored = [w.numpy() for w in loaded.weights]
    assert len(expected) == len(restored)
    for a, b in zip(expected, restored):
        np.testing.assert_array_equal(a, b)


def _lambda_model(path):
    inputs = keras.Input((4,))
    outputs = keras.layers.Lambda(lambda x: x * 2.0)(inputs)
    keras.Model(inputs, outputs).save(path)
    return path


def test_file_that_carries_code_is_refused_unless_opted_out(tmp_path):
    path = _lambda_model(tmp_path / "code.keras")
    with pytest.raises(ValueError, match="safe_mode"):
        keras.saving.load_model(path)  # safe mode is Keras' default
    with pytest.raises(ValueError, match="safe_mode"):
        keras.saving.load_model(path, safe_mode=True)
    loaded = keras.saving.load_model(path, safe_mode=False)  # the explicit opt-out
    np.testing.assert_allclose(loaded(np.ones((1, 4), "float32")), 2.0)


def test_cli_refuses_a_file_that_carries_code(tmp_path, capsys):
    path = _lambda_model(tmp_path / "code.keras")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["generate", "--model", str(path), "-n", "4", "--out", str(tmp_path / "x.png")])
    assert exit_info.value.code == 2
    message = capsys.readouterr().err.strip()
    assert message.startswith("gankit: error: refusing to load --model") and str(path) in message
    assert "safe_mode=False" in message and len(message.splitlines()) == 1
    assert not (tmp_path / "x.png").exists()


def _forwards_a_safe_default(function):
    """`function` takes `safe_mode` as a keyword-only argument that defaults to True."""
    arguments = function.args
    for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        if argument.arg == "safe_mode":
            return isinstance(default, ast.Constant) and default.value is True
    return False


def test_gankit_never_turns_safe_mode_off():
    """No source file passes `safe_mode=False` or enables unsafe deserialization.

    `safe_mode=True` is allowed, and so is forwarding `safe_mode=safe_mode` from
    a function whose own `safe_mode` defaults to True (`gankit.load_model`): the
    caller then chose it.
    """
    offenders = []
    for path in sorted((ROOT / "gankit").rglob("*.py")) + sorted((ROOT / "data_loaders").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        forwarding = set()
        for function in ast.walk(tree):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) and _forwards_a_safe_default(function):
                forwarding.update(id(node) for node in ast.walk(function))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "safe_mode":
                constant_true = isinstance(node.value, ast.Constant) and node.value.value is True
                forwarded = isinstance(node.value, ast.Name) and node.value.id == "safe_mode" and id(node) in forwarding
                if not (constant_true or forwarded):
                    offenders.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Attribute) and node.attr == "enable_unsafe_deserialization":
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_load_model_is_safe_by_default(tmp_path):
    import gankit

    model = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(lambda x: x * 2)])
    model.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="safe_mode"):
        gankit.load_model(tmp_path / "lambda.keras")


def test_no_lambda_layer_in_the_package():
    offenders = []
    for path in sorted((ROOT / "gankit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "Lambda":
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
