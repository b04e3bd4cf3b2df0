"""The Python API guide (docs/api.md) runs: every example is a doctest."""

import doctest
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("name", ["api.md"])
def test_guide_examples_run(name):
    res = doctest.testfile(str(DOCS / name), module_relative=False,
                           optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 10 and res.failed == 0


def test_docs_do_not_point_outside_the_repository():
    for path in DOCS.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text and "shared/paper" not in text, path
