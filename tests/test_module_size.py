"""No module under dsr/ is longer than 400 lines without saying why at its top: a long module is usually two
things that should be apart, and when it is not, the reason is written where the next reader starts."""

import ast
from pathlib import Path

import dsr

DSR = Path(dsr.__file__).parent
MOST_LINES = 400
REASON = "Longer than 400 lines because"


def test_every_long_module_says_why_it_is_long_at_its_top():
    unexplained = []
    for path in sorted(DSR.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text()
        if source.count("\n") <= MOST_LINES:
            continue
        docstring = ast.get_docstring(ast.parse(source)) or ""
        if REASON not in " ".join(docstring.split()):
            unexplained.append(path.relative_to(DSR).as_posix())
    assert unexplained == []
