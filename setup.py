"""Installs gankit and its data_loaders package."""

import pathlib
import re

from setuptools import find_packages
from setuptools import setup

HERE = pathlib.Path(__file__).parent
VERSION = re.search(
    r'^__version__ = "([^"]+)"',
    (HERE / "gankit" / "__init__.py").read_text(),
    re.M,
).group(1)

# The documentation site (`make docs`); the tests build it in strict mode.
DOCS_REQUIRES = [
    "mkdocs>=1.6,<2",
    "mkdocs-material>=9.5,<10",
    "mkdocstrings[python]>=0.26",
]

setup(
    name="gankit",
    version=VERSION,
    description=(
        "Keras 3 / TensorFlow 2 reference library for generative adversarial "
        "networks: layers, losses, models, training, metrics and data loaders."
    ),
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.10",
    packages=find_packages(include=["gankit", "gankit.*", "data_loaders", "data_loaders.*"]),
    install_requires=[
        # Keras 3 is the default `keras` from TensorFlow 2.16 on.
        "tensorflow>=2.16,<2.22",
        "tensorflow-hub>=0.16,<0.17",
        "numpy>=1.26,<3",
        "scipy>=1.11",
        "matplotlib>=3.7",
        "imageio>=2.31",
        "opencv-python-headless>=4.8",
    ],
    extras_require={
        "docs": DOCS_REQUIRES,
        "test": DOCS_REQUIRES + [
            "pytest>=8",
            "pytest-timeout>=2.2",
            "scikit-learn>=1.3",
            "nbclient>=0.10",
            "nbformat>=5.9",
            "ipykernel>=6.25",
        ],
    },
    entry_points={"console_scripts": ["gankit=gankit.cli:main"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Topic :: Scientific/Engineering :: Artificial Intelligence",
    ],
)
