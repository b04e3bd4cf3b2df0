"""The runnable examples of theory/README.md and of the module docstrings (doctest)."""

import doctest
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "theory" / "README.md"


def test_readme_extension_recipe_runs():
    res = doctest.testfile(str(README), module_relative=False)
    assert res.attempted >= 10 and res.failed == 0


@pytest.mark.parametrize("name", ["theory.exact_path"])
def test_module_docstring_examples(name):
    res = doctest.testmod(importlib.import_module(name))
    assert res.attempted > 0 and res.failed == 0


def test_readme_links_resolve_inside_the_repository():
    """Every relative link of theory/README.md and of theory/'s docstrings points into the repository."""
    text = README.read_text()
    for target in re.findall(r"\]\(([^)#]+)", text):
        if "://" in target:
            continue
        path = (README.parent / target).resolve()
        assert path.exists() and ROOT in path.parents, target
    for f in [README, *sorted((ROOT / "theory").glob("*.py"))]:
        assert "../shared" not in f.read_text(), f
