"""OpenAttestation's Merkle proof, recomputed offline as the specification defines it.

Version 2 (``SHA3MerkleProof``): every leaf of the salted ``data`` is flattened to a
``{"a.b.0.c": "<salt>:<type>:<value>"}`` object (``flatley`` keys, arrays by index, empty
objects and arrays as leaves); each is serialised as ``JSON.stringify`` would and hashed with
Keccak-256; the hex hashes, with the holder's ``privacy.obfuscatedData``, are sorted and the
JSON array of them hashed again: the *target hash*. The *Merkle root* follows from the target
hash and the ``proof`` siblings, each pair hashed in byte order.

Version 3 (``OpenAttestationMerkleProofSignature2018``): the salts travel base64-encoded in
``proof.salts``; each leaf ``{"<path>": "<salt>:<value>"}`` (paths ``a.b[0].c``) is hashed the
same way.

Integrity is all this checks. Whether the issuer's document store recorded the Merkle root,
and whether the issuer's identity proof (a DNS TXT record, a DID) holds, needs DNS and a ledger:
it is reported as not checked, with what would have to be looked up.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from typing import Any

from Crypto.Hash import keccak

from originlink.formats.reading import Integrity

V2_METHOD = "OpenAttestation v2 SHA3MerkleProof"
V3_METHOD = "OpenAttestation v3 OpenAttestationMerkleProofSignature2018"
_SURROGATE = re.compile("[\ud800-\udfff]")
_HASH = re.compile(r"[0-9a-fA-F]{64}")


def keccak256(data: bytes) -> bytes:
    return keccak.new(digest_bits=256, data=data).digest()


def js_string(value: Any) -> str:
    """``JSON.stringify(value)``: no spaces, non-ASCII as is, lone surrogates escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def js_number(value: float | int) -> str:
    """``String(n)`` for the numbers a document holds."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) or (
        math.isfinite(value) and value.is_integer() and abs(value) < 1e21
    ):
        return str(int(value))
    text = repr(value)
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", text)


def _hex(data: bytes) -> str:
    return keccak256(data).hex()


def flatten_v2(data: Any, prefix: str = "") -> dict[str, Any]:
    """``flatley.flatten``: nested keys joined with ``.``, arrays by index."""
    out: dict[str, Any] = {}
    if isinstance(data, dict) and data:
        for key, value in data.items():
            out.update(flatten_v2(value, f"{prefix}.{key}" if prefix else key))
    elif isinstance(data, list) and data:
        for index, value in enumerate(data):
            out.update(flatten_v2(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix] = data
    return out


def digest_v2(data: Any, obfuscated: list[str]) -> str:
    hashes = [_hex(js_string({k: v}).encode()) for k, v in flatten_v2(data).items()]
    return _hex(js_string(sorted([*obfuscated, *hashes])).encode())


def merkle_root(target: str, proof: list[str]) -> str:
    node = bytes.fromhex(target)
    for sibling in proof:
        node = keccak256(b"".join(sorted((node, bytes.fromhex(sibling)))))
    return node.hex()


def _proof_fields(proof: Any, target_key: str, proofs_key: str) -> tuple[str, list[str], str]:
    """``(target hash, sibling hashes, Merkle root)``; ValueError when any is malformed."""
    if not isinstance(proof, dict):
        raise ValueError("the proof is not an object")
    target, siblings, root = proof.get(target_key), proof.get(proofs_key), proof.get("merkleRoot")
    if not isinstance(target, str) or not _HASH.fullmatch(target):
        raise ValueError(f"{target_key} is not a 32-byte hex hash")
    if not isinstance(root, str) or not _HASH.fullmatch(root):
        raise ValueError("merkleRoot is not a 32-byte hex hash")
    if not isinstance(siblings, list) or not all(
        isinstance(s, str) and _HASH.fullmatch(s) for s in siblings
    ):
        raise ValueError(f"{proofs_key} is not a list of 32-byte hex hashes")
    return target.lower(), [s.lower() for s in siblings], root.lower()


def _judge(
    method: str, computed: str, target: str, siblings: list[str], root: str, identity: str
) -> Integrity:
    facts = {"target_hash": target, "merkle_root": root, "computed_target_hash": computed}
    if computed != target:
        return Integrity(
            method,
            "failed",
            "the target hash recomputed from the document is not the one it states: "
            "the content was changed after it was wrapped",
            identity_detail=identity,
            facts=facts,
        )
    if merkle_root(target, siblings) != root:
        return Integrity(
            method,
            "failed",
            "the target hash and the proof do not lead to the stated Merkle root",
            identity_detail=identity,
            facts=facts,
        )
    return Integrity(
        method,
        "ok",
        f"target hash and Merkle root recomputed from the content ({len(siblings)} proof step(s))",
        identity_detail=identity,
        facts=facts,
    )


def check_v2(document: dict[str, Any], identity: str) -> Integrity:
    privacy = document.get("privacy") if isinstance(document.get("privacy"), dict) else {}
    obfuscated = (privacy or {}).get("obfuscatedData") or []
    try:
        target, siblings, root = _proof_fields(document.get("signature"), "targetHash", "proof")
        if not all(isinstance(h, str) and _HASH.fullmatch(h) for h in obfuscated):
            raise ValueError("privacy.obfuscatedData is not a list of hashes")
    except ValueError as exc:
        return Integrity(
            V2_METHOD, "failed", f"the proof is malformed: {exc}", "not checked", identity
        )
    computed = digest_v2(document.get("data"), list(obfuscated))
    return _judge(V2_METHOD, computed, target, siblings, root, identity)


def _v3_leaves(data: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(data, list):
        return [leaf for i, v in enumerate(data) for leaf in _v3_leaves(v, f"{path}[{i}]")]
    if isinstance(data, dict):
        return [
            leaf
            for key, value in data.items()
            for leaf in _v3_leaves(value, f"{path}.{key}" if path else key)
        ]
    return [(path, data)]


def _leaf_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool | int | float):
        return js_number(value)
    return str(value)


def check_v3(document: dict[str, Any], identity: str) -> Integrity:
    proof = document.get("proof")
    try:
        target, siblings, root = _proof_fields(proof, "targetHash", "proofs")
        assert isinstance(proof, dict)
        salts = json.loads(base64.b64decode(str(proof.get("salts")), validate=True))
        if not isinstance(salts, list) or not all(
            isinstance(s, dict) and isinstance(s.get("path"), str) for s in salts
        ):
            raise ValueError("proof.salts is not a list of {value, path}")
        privacy = proof.get("privacy") if isinstance(proof.get("privacy"), dict) else {}
        obfuscated = list((privacy or {}).get("obfuscated") or [])
    except (ValueError, binascii.Error, json.JSONDecodeError) as exc:
        return Integrity(
            V3_METHOD, "failed", f"the proof is malformed: {exc}", "not checked", identity
        )
    content = {k: v for k, v in document.items() if k != "proof"}
    leaves = dict(_v3_leaves(content))
    if len(leaves) != len(salts):
        return Integrity(
            V3_METHOD,
            "failed",
            f"the document has {len(leaves)} values but its proof salts {len(salts)}: "
            "values were added or removed after it was wrapped",
            identity_detail=identity,
        )
    hashes = [
        _hex(js_string({s["path"]: f"{s.get('value')}:{_leaf_text(leaves[s['path']])}"}).encode())
        for s in salts
        if s["path"] in leaves
    ]
    computed = _hex(js_string(sorted([*obfuscated, *hashes])).encode())
    return _judge(V3_METHOD, computed, target, siblings, root, identity)
