"""The machinery of the dataset's field types: closed models (unknown members refused, DS-34),
errors whose type is the finding code, and :class:`Check`, the ``Annotated`` metadata that
gives a type its validator, serializer and JSON Schema.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema


class StrictModel(BaseModel):
    """A closed dataset group: unknown members are refused (DS-34)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False, validate_default=False)


def fail(code: str, message: str) -> PydanticCustomError:
    """An error whose type is the finding code."""
    return PydanticCustomError(code, message)


class Check(ABC):
    """Annotated metadata: a plain validator, an optional serializer and a JSON Schema.
    Each subclass is one kind of check, so ``validate`` is abstract."""

    def __init__(self, json_schema: dict[str, Any] | None = None) -> None:
        self.json_schema: dict[str, Any] = json_schema or {}

    @abstractmethod
    def validate(self, value: Any) -> Any:
        """The value as the dataset holds it, or a :func:`fail` error."""

    def serialize(self) -> Callable[[Any], Any] | None:
        return None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        ser = self.serialize()
        serialization = (
            core_schema.plain_serializer_function_ser_schema(ser, when_used="always")
            if ser is not None
            else None
        )
        return core_schema.no_info_plain_validator_function(
            self.validate, serialization=serialization
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return dict(self.json_schema)
