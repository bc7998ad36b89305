"""Every public function and method carries type hints.

For each name in a subpackage's `__all__`: a function has every parameter and
its return annotated; a class has the parameters of its constructor annotated
(when gankit defines it) and every public method it defines annotated, methods
inherited from a private gankit base (a mixin) included. Methods that override
a Keras `Layer`, `Model`, `Callback` or `LearningRateSchedule` method (`call`,
`build`, `get_config`, `train_step`, `on_epoch_end`, ...) keep Keras'
signature and are not checked. Constants and modules need nothing.
"""

import importlib
import inspect

import keras
import pytest

SUBPACKAGES = [
    "gankit.layers",
    "gankit.losses",
    "gankit.engine",
    "gankit.models",
    "gankit.training",
    "gankit.viz",
    "gankit.hub",
    "gankit.metrics",
    "data_loaders",
]

_KERAS_BASES = (
    keras.layers.Layer,
    keras.Model,
    keras.callbacks.Callback,
    keras.optimizers.schedules.LearningRateSchedule,
)

_OWN_PACKAGES = ("gankit", "data_loaders")


def _is_own(obj):
    return (getattr(obj, "__module__", None) or "").split(".")[0] in _OWN_PACKAGES


def _unannotated(function):
    """Names of the parameters (and `return`) of `function` without a hint."""
    signature = inspect.signature(function)
    missing = [
        name
        for name, parameter in signature.parameters.items()
        if name not in ("self", "cls") and parameter.annotation is inspect.Parameter.empty
    ]
    if signature.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


def _overrides_keras(cls, name):
    return any(issubclass(cls, base) and hasattr(base, name) for base in _KERAS_BASES)


def _constructor(cls):
    """`__init__` as gankit defines it for `cls` (maybe inherited), else None."""
    for klass in cls.__mro__:
        if "__init__" in vars(klass):
            function = vars(klass)["__init__"]
            return function if _is_own(klass) and inspect.isfunction(function) else None
    return None


def _public_methods(cls):
    """`{name: function}` of the public methods `cls` defines or gets from a private gankit base."""
    owners = [cls] + [k for k in cls.__mro__[1:] if _is_own(k) and k.__name__.startswith("_")]
    methods = {}
    for klass in reversed(owners):
        for name, member in vars(klass).items():
            if name.startswith("_") or _overrides_keras(cls, name):
                continue
            if isinstance(member, (classmethod, staticmethod)):
                member = member.__func__
            if inspect.isfunction(member):
                methods[name] = member
    return methods


def _problems(package_name):
    package = importlib.import_module(package_name)
    problems = []
    for name in package.__all__:
        obj = getattr(package, name)
        where = f"{package_name}.{name}"
        if inspect.isclass(obj):
            functions = {}
            constructor = _constructor(obj)
            if constructor is not None:
                functions[f"{where}.__init__"] = constructor
            functions.update({f"{where}.{method}": f for method, f in _public_methods(obj).items()})
        elif inspect.isfunction(obj):
            functions = {where: obj}
        else:  # constants and modules
            continue
        for qualified, function in functions.items():
            missing = _unannotated(function)
            if missing:
                problems.append(f"{qualified}: {', '.join(missing)}")
    return problems


@pytest.mark.parametrize("package_name", SUBPACKAGES)
def test_public_api_is_annotated(package_name):
    problems = _problems(package_name)
    assert not problems, "Unannotated public parameters or returns:\n" + "\n".join(problems)


def test_the_check_reports_unannotated_names():
    def annotated(x: int, *args: int, y: str = "", **kwargs: float) -> None:
        pass

    def bare(image_shape, n: int = 1):
        pass

    assert _unannotated(annotated) == []
    assert _unannotated(bare) == ["image_shape", "return"]
