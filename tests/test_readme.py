"""The README's example runs as written."""

from __future__ import annotations

import re

from support import ROOT

from generator.render.templates import bundled_template_names


def test_readme_python_example_runs() -> None:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def test_readme_lists_every_bundled_template_with_its_context() -> None:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Shaping the output", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (`[^|]*`) \|", section, flags=re.MULTILINE)
    listed = {name for row in rows for name in re.findall(r"`([^`]+\.j2)`", row)}
    assert listed == set(bundled_template_names())
