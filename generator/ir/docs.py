"""Docstrings from the OCA's description text, which is AsciiDoc source.

The schemas' descriptions carry cross references (``&lt;&lt;cmn_idtokentype,IdToken&gt;&gt;``),
HTML entities, AsciiDoc emphasis and hard-break markers, and for 2.x data types a preamble of
the semantic name and its URN (``Charge_ Point`` / ``urn:x-oca:ocpp:uid:2:233122``). Here
they become plain prose; :func:`wrap_docstring` wraps it for a given indentation. The raw
text stays in the IR (``description``) and in the generated ``descriptions.json``.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Mapping
from dataclasses import replace

from generator import ir

CROSS_REFERENCE = re.compile(r"<<\s*([^,<>]+?)\s*(?:,\s*([^<>]*?)\s*)?>>")
URN_LINE = re.compile(r"^urn:x-[\w-]+:", re.IGNORECASE)
BLOCK_MACRO = re.compile(r"^\w+::\S*\[[^\]]*\]$")
"""An AsciiDoc block macro line, such as ``image::images/AbsolutePriceSchedule.png[]``."""
STRONG = re.compile(r"(?<![\w*])\*(\S(?:[^*\n]*?\S)?)\*(?![\w*])")
EMPHASIS = re.compile(r"(?<![\w])_(\S(?:[^_\n]*?\S)?)_(?![\w])")
HARD_BREAK = re.compile(r"\s+\+$")
BULLET = re.compile(r"^([*-]) +")
ANCHOR_PREFIXES = ("cmn_", "cmn-")


def render_description(text: str, type_names: Mapping[str, str]) -> str:
    """Plain prose from one description: paragraphs separated by a blank line, one line per
    paragraph, hard break or bullet item (wrapping is left to :func:`wrap_docstring`).

    ``type_names`` maps lower-case class names to class names, to name our class where a cross
    reference points at one of our types.
    """
    text = html.unescape(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = CROSS_REFERENCE.sub(lambda m: _reference(m, type_names), text)
    lines = _drop_preamble([line.strip() for line in text.split("\n")])
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if not line:
            paragraphs.append([])
            continue
        current = paragraphs[-1]
        hard = HARD_BREAK.search(line) is not None
        line = _inline(HARD_BREAK.sub("", line))
        bullet = BULLET.match(line)
        if bullet:
            line = "* " + line[bullet.end() :]
        if current and not bullet and not current[-1].endswith("\n"):
            current[-1] += " " + line
        else:
            current.append(line)
        if hard:
            current[-1] += "\n"
    rendered = ["\n".join(part.rstrip("\n") for part in p).strip() for p in paragraphs]
    return "\n\n".join(p for p in rendered if p)


def _reference(match: re.Match[str], type_names: Mapping[str, str]) -> str:
    anchor, label = match.group(1), match.group(2)
    key = anchor.lower()
    for prefix in ANCHOR_PREFIXES:
        key = key.removeprefix(prefix)
    if key in type_names:
        return type_names[key]
    if label:
        return label
    return key


def _drop_preamble(lines: list[str]) -> list[str]:
    """Without the preamble: a semantic name (``Charge_ Point``, ``APN. APN. URI``) on the
    first line and the URN on the second. Any other URN line and image lines go too."""
    if len(lines) > 1 and URN_LINE.match(lines[1]):
        lines = lines[2:]
    return [line for line in lines if not (URN_LINE.match(line) or BLOCK_MACRO.match(line))]


def _inline(line: str) -> str:
    """One line without AsciiDoc inline markup and with single spaces."""
    line = STRONG.sub(r"\1", line)
    line = EMPHASIS.sub(r"\1", line)
    line = line.replace("\\|", "|")
    return " ".join(line.split())


def wrap_docstring(text: str, width: int) -> list[str]:
    """The lines of ``text`` wrapped at ``width`` (bullet items with a hanging indent)."""
    lines: list[str] = []
    for line in text.split("\n"):
        if not line:
            lines.append("")
            continue
        hanging = "  " if BULLET.match(line) else ""
        lines.extend(
            textwrap.wrap(
                line,
                width=max(width, 20),
                subsequent_indent=hanging,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return lines


def render_spec_docs(spec: ir.Spec) -> ir.Spec:
    """``spec`` with every ``doc`` rendered from its description text (``description`` kept)."""
    names = [e.name for e in spec.enums] + [o.name for o in spec.datatypes]
    names += [message.type.name for message in spec.messages]
    type_names = {name.lower(): name for name in names}

    def render(text: str) -> str:
        return render_description(text, type_names)

    def render_object(obj: ir.ObjectDef) -> ir.ObjectDef:
        fields = tuple(replace(f, doc=render(f.doc)) for f in obj.fields)
        return replace(obj, doc=render(obj.doc), fields=fields)

    def render_message(message: ir.Message | None) -> ir.Message | None:
        return None if message is None else replace(message, type=render_object(message.type))

    actions = []
    for action in spec.actions:
        request = render_message(action.request)
        assert request is not None
        actions.append(replace(action, request=request, response=render_message(action.response)))
    return replace(
        spec,
        enums=tuple(replace(e, doc=render(e.doc)) for e in spec.enums),
        datatypes=tuple(render_object(o) for o in spec.datatypes),
        actions=tuple(actions),
    )
