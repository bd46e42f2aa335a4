"""The one exception the generator raises for bad input."""

from __future__ import annotations


def json_pointer(parts: tuple[str | int, ...]) -> str:
    """Render path parts as an RFC 6901 JSON pointer ("" for the document itself)."""
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "".join("/" + part for part in escaped)


def printable(text: str) -> str:
    """``text`` with every character that is not printable (controls, NUL, line separators,
    format characters, lone surrogates) written as its escape (``\\x00``, ``\\u2028``), so that
    an error names hostile input and stays one line."""
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode() for char in text
    )


class GeneratorError(Exception):
    """Bad input: names the file and, where it applies, the JSON pointer inside it."""

    def __init__(self, message: str, file: str, pointer: str | None = None) -> None:
        super().__init__(message)
        self.message = " ".join(message.split())
        self.file = file
        self.pointer = pointer

    def __str__(self) -> str:
        where = self.file if self.pointer is None else f"{self.file}#{self.pointer}"
        return printable(f"{where}: {self.message}")
