"""Reading user files as text, with errors that say what is wrong and what to do."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .errors import InputError

_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.I)


def read_bytes(path: Path) -> bytes:
    """The bytes of a file that must exist and be a regular file."""
    if not path.exists():
        raise InputError(f"{path}: no such file.", "Check the path and try again.")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a file.", "Give the path of a file inside it.")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror}).", "Check its permissions.") from exc


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode ``data`` as text: a BOM, ``encoding``, an HTML charset, else strict UTF-8."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec)
    if b"\x00" in data[:8192]:
        raise InputError(
            f"{name} is a binary file, not text.",
            "Give a text, Markdown or HTML file (convert PDFs and word-processor files to text first).",
        )
    declared = _META_CHARSET.search(data[:4096])
    codec = encoding or (declared.group(1).decode("ascii") if declared else "utf-8")
    try:
        return data.decode(codec)
    except LookupError as exc:
        raise InputError(f"{name}: unknown encoding {codec!r}.", "Name a Python codec, such as cp1252 or latin-1.") from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not valid {codec} text (byte 0x{data[exc.start]:02x} at offset {exc.start}).",
            "Pass its encoding with --encoding (for example cp1252) or convert it to UTF-8.",
        ) from exc


def read_text(path: Path, encoding: str | None = None) -> str:
    """The text of a file, decoded as ``decode`` does."""
    return decode(read_bytes(path), str(path), encoding)
