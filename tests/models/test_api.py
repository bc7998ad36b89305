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
