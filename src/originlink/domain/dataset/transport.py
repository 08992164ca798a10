"""Transport (``dataset.md`` §5): one main-carriage movement, as on the paper forms."""

from __future__ import annotations

from pydantic import Field

from originlink.domain.dataset.enums import TransportMode
from originlink.domain.dataset.measures import Measure
from originlink.domain.dataset.types import (
    CountryCode,
    DateOrDateTime,
    Id35,
    Locode,
    StrictModel,
    Text256,
    Text2048,
)


class Location(StrictModel):
    locode: Locode | None = None
    name: Text256 | None = None


class TransportPackage(StrictModel):
    package_id: Id35 | None = None
    gross_weight: Measure | None = None
    gross_volume: Measure | None = None


class Transport(StrictModel):
    consignment_reference: Id35 | None = None
    information: Text2048 | None = None
    mode_code: TransportMode | None = None
    mode_text: Text256 | None = None
    means_id: Id35 | None = None
    means_name: Text256 | None = None
    journey_id: Id35 | None = None
    departure_datetime: DateOrDateTime | None = None
    route_description: Text2048 | None = None
    loading_location: Location | None = None
    discharge_location: Location | None = None
    transit_countries: list[CountryCode] | None = Field(default=None, min_length=1)
    packages: list[TransportPackage] | None = Field(default=None, min_length=1)
