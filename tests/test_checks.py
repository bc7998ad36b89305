"""The one module of argument checks (`gankit._checks`) used by every package."""

import ast
import os
import pathlib

import numpy as np
import pytest

from gankit import _checks
from gankit._checks import check_bool
from gankit._checks import check_choice
from gankit._checks import check_directory
from gankit._checks import check_image_shape
from gankit._checks import check_image_size
from gankit._checks import check_int
from gankit._checks import check_labels
from gankit._checks import check_number
from gankit._checks import check_path
from gankit._checks import check_seed
from gankit._checks import check_string
from gankit._checks import check_value_range

ROOT = pathlib.Path(__file__).resolve().parents[1]


# -- integers ----------------------------------------------------------------


@pytest.mark.parametrize("value", [3, np.int64(3), np.uint8(3)])
def test_check_int_accepts_python_and_numpy_integers_and_returns_int(value):
    result = check_int(value, name="steps", minimum=1)
    assert result == 3 and type(result) is int


@pytest.mark.parametrize("value", [True, 2.0, "2", None, np.float32(2)])
def test_check_int_refuses_non_integers_with_type_error_naming_the_argument(value):
    with pytest.raises(TypeError, match=r"^`steps` must be an integer\. Received: steps="):
        check_int(value, name="steps")


def test_check_int_bounds_are_inclusive():
    assert check_int(2, name="n", minimum=2, maximum=2) == 2
    with pytest.raises(ValueError, match=r"^`n` must be at least 2\. Received: n=1$"):
        check_int(1, name="n", minimum=2)
    with pytest.raises(ValueError, match=r"^`n` must be at most 5\. Received: n=6$"):
        check_int(6, name="n", maximum=5)


def test_check_int_allow_none():
    assert check_int(None, name="n", allow_none=True) is None
    with pytest.raises(TypeError, match="`n` must be None or an integer"):
        check_int("x", name="n", allow_none=True)
    with pytest.raises(TypeError, match="`n` must be an integer"):
        check_int(None, name="n")


# -- real numbers --------------------------------------------------------------


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), np.float32("nan"), np.float64("inf")])
def test_check_number_refuses_non_finite_values_before_any_range_check(value):
    # `nan < 0` and `nan > 1` are both False: a range check alone lets NaN through.
    with pytest.raises(ValueError, match=r"^`rate` must be a finite number\. Received: rate="):
        check_number(value, name="rate", minimum=0.0, maximum=1.0)
    with pytest.raises(ValueError, match="finite"):
        check_number(value, name="rate")


@pytest.mark.parametrize("value", [True, "0.5", None, [0.5], 1j])
def test_check_number_refuses_non_numbers(value):
    with pytest.raises(TypeError, match=r"^`rate` must be a number\. Received: rate="):
        check_number(value, name="rate")


@pytest.mark.parametrize("value", [1, 0.5, np.float32(0.5), np.int64(1)])
def test_check_number_returns_a_python_float(value):
    result = check_number(value, name="rate")
    assert result == float(value) and type(result) is float


@pytest.mark.parametrize(
    ("value", "bounds", "message"),
    [
        (-0.1, {"minimum": 0.0}, "must be >= 0.0"),
        (0.0, {"minimum": 0.0, "min_inclusive": False}, "must be > 0.0"),
        (1.5, {"maximum": 1.0}, "must be <= 1.0"),
        (1.0, {"maximum": 1.0, "max_inclusive": False}, "must be < 1.0"),
        (1.0, {"minimum": 0.0, "maximum": 1.0, "max_inclusive": False}, r"must be in \[0.0, 1.0\)"),
        (0.0, {"minimum": 0.0, "maximum": 1.0, "min_inclusive": False}, r"must be in \(0.0, 1.0\]"),
        (2.0, {"minimum": 0.0, "maximum": 1.0}, r"must be in \[0.0, 1.0\]"),
    ],
)
def test_check_number_range_messages(value, bounds, message):
    with pytest.raises(ValueError, match=rf"^`x` {message}\. Received: x={value}$"):
        check_number(value, name="x", **bounds)


def test_check_number_accepts_its_bounds_when_inclusive():
    assert check_number(0.0, name="x", minimum=0.0, maximum=1.0) == 0.0
    assert check_number(1.0, name="x", minimum=0.0, maximum=1.0) == 1.0
    assert check_number(None, name="x", allow_none=True) is None


# -- booleans, choices, strings, seeds ----------------------------------------


def test_check_bool():
    assert check_bool(False, name="flag") is False
    for value in (0, 1, "yes", None, np.bool_(True)):
        with pytest.raises(TypeError, match=r"^`flag` must be True or False\. Received: flag="):
            check_bool(value, name="flag")


def test_check_choice_compares_values_and_keeps_bools_apart():
    assert check_choice("hinge", name="loss", choices=("hinge", "wgan")) == "hinge"
    assert check_choice(1, name="verbose", choices=(0, 1)) == 1
    # True == 1 in Python, but a bool is not a verbosity level.
    for value in (True, "1", 2, None, [0], np.array([0, 1])):
        with pytest.raises(ValueError, match=r"^`verbose` must be one of 0, 1\. Received: verbose="):
            check_choice(value, name="verbose", choices=(0, 1))


def test_check_string():
    assert check_string("g", name="name") == "g"
    with pytest.raises(TypeError, match="`name` must be a string"):
        check_string(3, name="name")
    with pytest.raises(ValueError, match="`name` must be a non-empty string"):
        check_string("", name="name")


def test_check_seed():
    assert check_seed(None) is None
    assert check_seed(np.int32(7)) == 7
    assert check_seed(2**63 - 1) == 2**63 - 1
    with pytest.raises(ValueError, match=r"`seed` must be None or an integer in \[0, 2\*\*63\)\. Received: seed=-1"):
        check_seed(-1)
    with pytest.raises(ValueError, match="Received: seed=9223372036854775808"):
        check_seed(2**63)
    with pytest.raises(TypeError, match="`seed` must be None or a non-negative integer"):
        check_seed(1.0)
    with pytest.raises(ValueError, match="`latent_seed`"):
        check_seed(-1, name="latent_seed")


# -- paths ----------------------------------------------------------------------


def test_check_path(tmp_path):
    assert check_path(tmp_path, name="out") == os.fspath(tmp_path)
    with pytest.raises(TypeError, match="`out` must be a path"):
        check_path(3, name="out")
    with pytest.raises(TypeError, match="`out` must be a path"):
        check_path(b"/tmp", name="out")

    class BytesPath:
        def __fspath__(self):
            return b"/tmp"

    with pytest.raises(TypeError, match="`out` must be a text path, not bytes"):
        check_path(BytesPath(), name="out")
    with pytest.raises(ValueError, match="`out` must not be empty"):
        check_path("", name="out")


def test_check_directory(tmp_path):
    assert check_directory(tmp_path, name="data_dir") == os.fspath(tmp_path)
    file = tmp_path / "file.txt"
    file.write_text("x")
    for path in (file, tmp_path / "missing"):
        with pytest.raises(FileNotFoundError, match="`data_dir` must be an existing directory"):
            check_directory(path, name="data_dir")


# -- shapes and ranges ---------------------------------------------------------


def test_check_image_shape():
    assert check_image_shape([28, 28, np.int64(1)]) == (28, 28, 1)
    assert check_image_shape((32, 32, 3), divisor=4) == (32, 32, 3)


@pytest.mark.parametrize("value", [None, 28, "28x28", (28.0, 28, 1), (28, True, 1)])
def test_check_image_shape_wrong_types_are_type_errors(value):
    with pytest.raises(TypeError, match=r"^`image_shape` must be a tuple of 3 integers"):
        check_image_shape(value)


@pytest.mark.parametrize("value", [(28, 28), (28, 28, 1, 1), (0, 28, 1), (28, 28, -1)])
def test_check_image_shape_wrong_values_are_value_errors(value):
    with pytest.raises(ValueError, match=r"^`image_shape` must be 3 positive integers"):
        check_image_shape(value)


def test_check_image_shape_divisor_names_the_reason():
    with pytest.raises(ValueError, match=r"divisible by 4 \(the generator upsamples twice\)\. Received: "):
        check_image_shape((30, 28, 1), divisor=4, reason="the generator upsamples twice")


def test_check_image_size():
    assert check_image_size(None) is None
    assert check_image_size(64) == (64, 64)
    assert check_image_size((32, np.int64(48))) == (32, 48)
    with pytest.raises(TypeError, match="`image_size` must be a positive integer"):
        check_image_size(None, allow_none=False)
    with pytest.raises(TypeError, match="`image_size` must be None, a positive integer"):
        check_image_size((32, 32, 3))
    with pytest.raises(ValueError, match="`image_size` must be positive"):
        check_image_size((0, 32))


def test_check_value_range():
    assert check_value_range((-1, 1)) == (-1.0, 1.0)
    with pytest.raises(TypeError, match="`value_range` must be a pair"):
        check_value_range(1)
    with pytest.raises(ValueError, match=r"`value_range\[1\]` must be a finite number"):
        check_value_range((0, float("inf")))
    with pytest.raises(ValueError, match="low < high"):
        check_value_range((1, 1))


# -- one place -------------------------------------------------------------------


def test_checks_module_imports_nothing_from_the_project_nor_tensorflow():
    tree = ast.parse((ROOT / "gankit" / "_checks.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    # NumPy only inside `check_labels` (labels arrive as arrays).
    assert imported <= {"__future__", "math", "numbers", "numpy", "os", "typing"}, imported


def test_every_check_takes_the_name_as_a_keyword_only_argument():
    import inspect

    for name in _checks.__dict__:
        function = getattr(_checks, name)
        if name.startswith("check_") and callable(function):
            parameters = inspect.signature(function).parameters
            assert parameters["name"].kind is inspect.Parameter.KEYWORD_ONLY, name
            assert list(parameters)[0] == "value", name


def test_no_package_keeps_its_own_copy_of_the_generic_checks():
    # The six former check modules are gone or hold only checks of their own
    # domain (tensors, feature arrays, class-id subsets); no other module
    # defines a check of an int, a float, a bool or a path.
    generic = {
        "check_int",
        "_check_int",
        "check_positive_int",
        "check_non_negative_int",
        "check_number",
        "_check_number",
        "check_finite",
        "_check_finite",
        "check_finite_number",
        "check_real",
        "check_bool",
        "_check_bool",
        "check_path",
        "_check_path",
        "check_seed",
        "_check_seed",
        "check_choice",
        "_check_choice",
        "_check_image_shape",
    }
    offenders = []
    for package in ("gankit", "data_loaders"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name == "_checks.py" and path.parent.name == "gankit":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
                for node in ast.walk(tree)
                if isinstance(node, ast.FunctionDef) and node.name in generic
            ]
    assert offenders == []


# -- labels ----------------------------------------------------------------------


def test_check_labels_flattens_columns_and_refuses_floats_and_out_of_range():
    import numpy as np

    np.testing.assert_array_equal(check_labels([[2], [0]], num_classes=3), [2, 0])
    assert check_labels(np.array([1, 2], "int64"), num_classes=3).dtype == np.int32
    with pytest.raises(ValueError, match=r"^`labels` must be integers of shape \(n,\) or \(n, 1\)"):
        check_labels([0.5], num_classes=3)
    with pytest.raises(
        ValueError, match=r"^`y` must lie in \[0, 2\] \(num_classes=3\). Received: y with min=0, max=3$"
    ):
        check_labels([0, 3], num_classes=3, name="y")
