"""Pins the public API of `data_loaders`, so changes show in review."""

import ast
import inspect
import pathlib
import subprocess
import sys

import data_loaders

EXPECTED_ALL = [
    "CIFAR10_CLASS_NAMES",
    "CYCLEGAN_DATASETS",
    "DEBIAN_FASHION_MNIST_DIR",
    "DownloadError",
    "FASHION_MNIST_CLASS_NAMES",
    "IMAGE_EXTENSIONS",
    "cifar10",
    "digits",
    "dog_crop_box",
    "download_cyclegan_dataset",
    "download_stanford_dogs",
    "export_unpaired",
    "fashion_mnist",
    "fashion_mnist_sneakers_boots",
    "image_folder",
    "labeled_subset",
    "list_image_files",
    "load_cifar10_arrays",
    "load_digits_arrays",
    "load_fashion_mnist_arrays",
    "load_fashion_mnist_sneakers_boots_arrays",
    "load_image_folder_arrays",
    "load_mnist_arrays",
    "load_stanford_dogs_arrays",
    "load_unpaired_arrays",
    "mnist",
    "read_idx",
    "stanford_dogs",
    "unpaired",
]
# The dataset loaders and the arguments every one of them shares.
LOADERS = [
    "cifar10",
    "digits",
    "fashion_mnist",
    "fashion_mnist_sneakers_boots",
    "image_folder",
    "mnist",
    "stanford_dogs",
    "unpaired",
]
SHARED_ARGUMENTS = {
    "batch_size": None,  # Per source.
    "shuffle": True,
    "seed": None,
    "flip": False,
    "drop_remainder": True,
}


def test_all_is_pinned_and_importable():
    assert sorted(data_loaders.__all__) == EXPECTED_ALL
    for name in data_loaders.__all__:
        assert hasattr(data_loaders, name), name


def test_loaders_share_argument_names_and_defaults():
    for name in LOADERS:
        parameters = inspect.signature(getattr(data_loaders, name)).parameters
        for argument, default in SHARED_ARGUMENTS.items():
            assert argument in parameters, f"{name} lacks `{argument}`"
            if default is not None:
                assert parameters[argument].default is default, f"{name}({argument}=...)"


def test_docstrings_document_every_argument():
    for name in data_loaders.__all__:
        value = getattr(data_loaders, name)
        if not callable(value):
            continue
        doc = inspect.getdoc(value)
        is_error = isinstance(value, type) and issubclass(value, Exception)  # Raised, never returns.
        assert doc and ("Returns:" in doc or is_error) and "Example:" in doc, name
        for argument in inspect.signature(value).parameters:
            assert f"\n    {argument}:" in doc, f"{name}: `{argument}` is not documented"


def test_data_loaders_imports_only_the_argument_checks_of_gankit():
    # The loaders stand below every gankit package: the one module they share
    # is `gankit._checks`, which imports nothing from the project.
    package = pathlib.Path(data_loaders.__file__).parent
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            assert all(m.split(".")[0] != "gankit" or m == "gankit._checks" for m in modules), path.name


def test_importing_data_loaders_loads_no_gankit_subpackage():
    code = "import sys, data_loaders; print(sorted(m for m in sys.modules if m.startswith('gankit')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['gankit', 'gankit._checks']"
