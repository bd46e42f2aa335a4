"""The README's example runs as written."""

from __future__ import annotations

import re
import subprocess
import sys

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


def test_readme_device_model_listing_is_what_the_command_prints() -> None:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Device model and configuration", 1)[1].split("\n## ", 1)[0]
    command = re.findall(r"```sh\n(ocppgen list --device-model[^\n]*)\n```", section)
    (sample,) = re.findall(r"```text\n(.*?)\n\.\.\.\n```", section, flags=re.DOTALL)
    assert command == ["ocppgen list --device-model --version 2.0.1 --component OCPPCommCtrlr"]
    result = subprocess.run(
        [sys.executable, "-c", "from generator.cli import app; app()", *command[0].split()[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith(sample + "\n")
