"""The loss report and the registry's strict mode."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from originlink.domain.dataset import CODocument
from originlink.domain.errors import InputError, LossyConversionRefused
from originlink.domain.profiles import bundled_profiles
from originlink.formats import FORMATS, LossKind, LossReport, convert, from_format, to_format


def test_lossy_means_dropped_or_degraded() -> None:
    report = LossReport()
    report.derived("a", "filled")
    report.synthesised("b", "required")
    assert not report.lossy
    report.degraded("c", "coarser", Decimal("1.50"))
    assert report.lossy
    assert report.as_dict() == {
        "lossy": True,
        "counts": {"DROPPED": 0, "DEGRADED": 1, "DERIVED": 1, "SYNTHESISED": 1},
        "entries": [
            {"kind": "DERIVED", "path": "a", "detail": "filled"},
            {"kind": "SYNTHESISED", "path": "b", "detail": "required"},
            {"kind": "DEGRADED", "path": "c", "detail": "coarser", "value": "1.50"},
        ],
    }


def test_refusal_lists_every_lossy_entry() -> None:
    report = LossReport()
    report.dropped("x", "gone")
    report.degraded("y", "less")
    report.synthesised("z", "made up")
    with pytest.raises(LossyConversionRefused) as caught:
        report.refuse_if_lossy("test conversion")
    assert [f.code for f in caught.value.findings] == ["CONVERSION-DROPPED", "CONVERSION-DEGRADED"]
    assert "x (gone) and 1 more" in caught.value.detail
    assert caught.value.extra["loss_report"]["lossy"] is True


def test_canonical_conversion_loses_nothing(minimal_co: dict[str, Any]) -> None:
    import json

    data = json.dumps(minimal_co).encode()
    out = convert(data, "canonical", "canonical", strict=True)
    assert json.loads(out.result) == minimal_co
    assert len(out.loss) == 0


def test_convert_joins_both_loss_reports(minimal_co: dict[str, Any]) -> None:
    doc = CODocument.model_validate(minimal_co)
    ubl = to_format(doc, "ubl", profile=None).result
    out = convert(ubl, "ubl", "uncefact", strict=False)
    paths = [e.path for e in out.loss]
    assert paths.count("signatures.issuing_authority") == 2
    assert "certificate.goods_items[0].quantity" in paths


def test_strict_convert_refuses_with_the_losses(minimal_co: dict[str, Any]) -> None:
    import json

    with pytest.raises(LossyConversionRefused) as caught:
        convert(json.dumps(minimal_co).encode(), "canonical", "uncefact", strict=True)
    assert any(f.path == "certificate.goods_items[0].fob_value" for f in caught.value.findings)


def test_unknown_formats_are_named() -> None:
    with pytest.raises(InputError, match="unknown format 'pdf'"):
        from_format(b"{}", "pdf", profiles=bundled_profiles())
    assert FORMATS == ("canonical", "ubl", "uncefact", "aladi-cod")


def test_invalid_canonical_input_gives_findings() -> None:
    from originlink.domain.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        from_format(b'{"certificate": {"version": 0}}', "canonical", profiles=bundled_profiles())
    assert any(f.path == "certificate.version" for f in caught.value.findings)


def test_loss_entry_kinds() -> None:
    assert [k.value for k in LossKind] == ["DROPPED", "DEGRADED", "DERIVED", "SYNTHESISED"]
