"""Evidence files of verification (P8): what may be attached (media types, names, at most
:data:`MAX_FILES` and a size bound together), and decoding them from base64 with their size and
SHA-256 checked, so a file that arrives in a message is exactly the file that was sent.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from originlink.domain.dataset.types import MediaType, Pattern, StrictModel
from originlink.domain.errors import InputTooLarge, ValidationFailed
from originlink.domain.findings import Finding, Level

#: Evidence may be documents and images in these formats only.
MEDIA_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/tiff",
        "text/plain",
        "text/csv",
        "application/json",
        "application/xml",
    }
)
MAX_FILES = 10
FileName = Annotated[
    str,
    Pattern(
        r"[A-Za-z0-9][A-Za-z0-9 ._()\-]{0,254}",
        "DS-32",
        "a file name (letters, digits, space, '.', '_', '(', ')', '-'; no folders)",
    ),
]
Base64 = Annotated[
    str, Pattern(r"[A-Za-z0-9+/]*={0,2}", "DS-32", "base64 (RFC 4648, no line breaks)")
]
Sha256Hex = Annotated[str, Pattern(r"[0-9a-f]{64}", "DS-32", "a lower-case hex SHA-256")]


class FileUpload(StrictModel):
    """An evidence file as sent to the API: its bytes in base64 (``content``)."""

    name: FileName
    media_type: MediaType
    content: Base64


class Attachment(FileUpload):
    """A file inside a message: with its size and SHA-256, checked on receipt."""

    size: int = Field(ge=1)
    sha256: Sha256Hex


@dataclass(frozen=True, slots=True)
class DecodedFile:
    name: str
    media_type: str
    content: bytes
    sha256: str

    def attachment(self) -> Attachment:
        return Attachment(
            name=self.name,
            media_type=self.media_type,
            content=base64.b64encode(self.content).decode(),
            size=len(self.content),
            sha256=self.sha256,
        )

    def meta(self) -> dict[str, object]:
        return {
            "name": self.name,
            "media_type": self.media_type,
            "size": len(self.content),
            "sha256": self.sha256,
        }


def decode_files(
    files: list[FileUpload] | list[Attachment], *, root: str, max_bytes: int
) -> list[DecodedFile]:
    """Decode and bound the files; an :class:`Attachment` must match its size and digest."""
    if len(files) > MAX_FILES:
        raise _file_error(root, f"at most {MAX_FILES} files may be attached")
    out: list[DecodedFile] = []
    total = 0
    for index, upload in enumerate(files):
        where = f"{root}[{index}]"
        if upload.media_type not in MEDIA_TYPES:
            allowed = ", ".join(sorted(MEDIA_TYPES))
            raise _file_error(f"{where}.media_type", f"{upload.media_type} is not one of {allowed}")
        if len(upload.content) > (max_bytes * 4) // 3 + 4:
            raise InputTooLarge(f"{where}: the file exceeds {max_bytes:,} bytes")
        try:
            content = base64.b64decode(upload.content, validate=True)
        except (binascii.Error, ValueError):
            raise _file_error(f"{where}.content", "the content is not valid base64") from None
        if not content:
            raise _file_error(f"{where}.content", "the file is empty")
        total += len(content)
        if len(content) > max_bytes or total > max_bytes:
            raise InputTooLarge(f"{where}: the files exceed {max_bytes:,} bytes together")
        digest = hashlib.sha256(content).hexdigest()
        if isinstance(upload, Attachment) and (
            upload.sha256 != digest or upload.size != len(content)
        ):
            raise _file_error(
                f"{where}.sha256",
                f"the file's SHA-256 is {digest} ({len(content)} bytes), not the "
                f"{upload.sha256} ({upload.size} bytes) declared",
            )
        out.append(DecodedFile(upload.name, upload.media_type, content, digest))
    return out


def _file_error(path: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        f"{path}: {message}", [Finding(Level.SEVERE, path, "DS-32", message, "claim")]
    )
