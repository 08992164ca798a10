"""Reading and writing files at the edge: bounded, with errors that name the file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from originlink.domain.errors import InputError, InputTooLarge
from originlink.domain.safejson import DEFAULT_MAX_BYTES, loads_bounded


def read_bounded(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of ``path`` (``-`` for standard input), refusing more than ``max_bytes``
    before reading them all, so a 50 MB file costs no 50 MB of memory."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputTooLarge(f"standard input exceeds the limit of {max_bytes:,} bytes")
        return data
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InputError(f"{path} is not a regular file")
        if size > max_bytes:
            raise InputTooLarge(f"{path} is {size:,} bytes; the limit is {max_bytes:,} bytes")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a file") from None
    if len(data) > max_bytes:
        raise InputTooLarge(f"{path} grew beyond the limit of {max_bytes:,} bytes while reading")
    return data


def read_json_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Parse a JSON file strictly (no duplicate keys, bounded size and depth)."""
    return loads_bounded(
        read_bounded(path, max_bytes=max_bytes), max_bytes=max_bytes, what=str(path)
    )


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False)


def write_text_atomic(path: Path, text: str, *, mode: int | None = None) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file (``mode``
    None: as the umask allows; the node's own files pass 0600)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    if mode is not None:
        tmp.chmod(mode)
    tmp.replace(path)


def write_bytes_atomic(path: Path, data: bytes, *, mode: int | None = None) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    if mode is not None:
        tmp.chmod(mode)
    tmp.replace(path)
