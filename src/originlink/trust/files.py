"""Small, careful file operations for keys, certificates and trust lists.

Writes go to a temporary file in the same folder and are renamed into place, so a crash never
leaves half a trust list; files are created with mode 0600 from the first byte (never written
first and restricted afterwards) in 0700 folders: a node's keys, trust lists and configuration
are readable by the account that runs it alone. Reads are bounded: a trust store never reads a
2 GB "PEM".
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from originlink.domain.errors import InputError, InputTooLarge

#: Bound on a PEM key, certificate or chain file.
MAX_PEM_BYTES = 256 * 1024
#: Bound on a signed trust list.
MAX_TRUSTLIST_BYTES = 4 * 1024 * 1024


def read_limited(path: Path, *, max_bytes: int, what: str = "file") -> bytes:
    """The bytes of ``path``, refusing a missing, special or oversized file with one line."""
    try:
        if not path.is_file():
            if path.exists():
                raise InputError(f"{what} {path} is not a regular file")
            raise InputError(f"{what} {path}: no such file")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise InputError(f"{what} {path}: permission denied") from None
    if len(data) > max_bytes:
        raise InputTooLarge(f"{what} {path} exceeds the limit of {max_bytes:,} bytes")
    return data


def ensure_dir(path: Path, *, private: bool = True) -> Path:
    """Create ``path`` (and parents); a private folder (the default: everything a node keeps
    is its own) is mode 0700, a shared one 0755 minus the umask."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o755)
    if private:
        path.chmod(0o700)
    return path


def write_atomic(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` atomically, the file having ``mode`` from its creation."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, flags, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(mode)  # the umask may have narrowed it
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def write_secret(path: Path, data: bytes) -> None:
    """Write a private key: mode 0600, atomically."""
    write_atomic(path, data, mode=0o600)
