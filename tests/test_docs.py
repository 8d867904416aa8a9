"""The Python example in docs/python-api.md runs as written."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "python-api.md"


def test_python_api_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks, "no example in docs/python-api.md"
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), {})  # noqa: S102
