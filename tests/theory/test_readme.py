"""The runnable examples of theory/README.md and of the module docstrings (doctest)."""

import doctest
import importlib
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "theory" / "README.md"


def test_readme_extension_recipe_runs():
    res = doctest.testfile(str(README), module_relative=False)
    assert res.attempted >= 10 and res.failed == 0


@pytest.mark.parametrize("name", ["theory.exact_path"])
def test_module_docstring_examples(name):
    res = doctest.testmod(importlib.import_module(name))
    assert res.attempted > 0 and res.failed == 0
