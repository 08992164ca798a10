"""Rules on attachments and extensions: DS-32 (attachments are whole, hashed, bounded and of a
registered media type) and DS-34 (extensions are keyed by a known agreement)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterator

from originlink.domain.dataset import Attachment
from originlink.domain.findings import Finding, join_path
from originlink.domain.validation.rules.base import Rule, Subject, severe, warning

_C = "certificate"

#: IANA top-level media types (RFC 6838 §4.2 and later registrations). A full subtype list is
#: not bundled, so DS-32 checks the registered top level.
MEDIA_TOP_LEVELS = frozenset(
    {
        "application",
        "audio",
        "example",
        "font",
        "haptics",
        "image",
        "message",
        "model",
        "multipart",
        "text",
        "video",
    }
)


def ds32_attachments(s: Subject) -> Iterator[Finding]:
    bound = s.context.max_attachment_bytes
    seen: set[str] = set()
    for i, attachment in enumerate(s.cert.attachments or ()):
        path = join_path(_C, "attachments", i)
        if attachment.attachment_id in seen:
            yield severe(
                "DS-32",
                f"{path}.attachment_id",
                f"Attachment id '{attachment.attachment_id}' is used twice.",
            )
        seen.add(attachment.attachment_id)
        top_level = attachment.mime_type.split("/", 1)[0]
        if top_level not in MEDIA_TOP_LEVELS:
            yield severe(
                "DS-32",
                f"{path}.mime_type",
                f"'{attachment.mime_type}' is not a registered media type "
                f"('{top_level}' is not an IANA top-level type).",
            )
        if attachment.size_bytes is not None and attachment.size_bytes > bound:
            yield severe(
                "DS-32",
                f"{path}.size_bytes",
                f"The attachment is {attachment.size_bytes:,} bytes; the limit is {bound:,}.",
                limit=bound,
            )
        if attachment.content_base64 is None:
            if attachment.uri is None:
                yield severe(
                    "DS-32",
                    path,
                    "An attachment needs its content (content_base64) or where to fetch it (uri).",
                )
            continue
        yield from _attachment_content(path, attachment.content_base64, attachment, bound)


def _attachment_content(
    path: str, text: str, attachment: Attachment, bound: int
) -> Iterator[Finding]:
    if len(text) // 4 * 3 > bound + 3:
        yield severe(
            "DS-32",
            f"{path}.content_base64",
            f"The attachment's content exceeds the limit of {bound:,} bytes.",
            limit=bound,
        )
        return
    try:
        content = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        yield severe("DS-32", f"{path}.content_base64", "The content is not valid base64.")
        return
    if len(content) > bound:
        yield severe(
            "DS-32",
            f"{path}.content_base64",
            f"The attachment is {len(content):,} bytes; the limit is {bound:,}.",
            limit=bound,
        )
    digest = hashlib.sha256(content).hexdigest()
    if digest != attachment.sha256:
        yield severe(
            "DS-32",
            f"{path}.sha256",
            "The SHA-256 given does not match the attachment's content.",
            computed=digest,
        )
    if attachment.size_bytes is not None and attachment.size_bytes != len(content):
        yield severe(
            "DS-32",
            f"{path}.size_bytes",
            f"The size given ({attachment.size_bytes:,} bytes) is not the content's size "
            f"({len(content):,} bytes).",
        )


def ds34_extension_keys(s: Subject) -> Iterator[Finding]:
    """``extensions`` is keyed by agreement-profile code."""
    for key in s.cert.extensions or {}:
        if s.registry.get(key) is None:
            yield warning(
                "DS-34",
                join_path(_C, "extensions", key),
                f"Extensions are keyed by agreement code; '{key}' is not a known agreement.",
                known=s.registry.codes(),
            )


RULES: tuple[Rule, ...] = (ds32_attachments, ds34_extension_keys)
