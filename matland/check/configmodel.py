"""The config's schema as a pydantic model: the reference that validates a config whose
values config.py does not take as they are, and says what is wrong with it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from matland.render import formats


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fail_on: Literal["never", "info", "low", "medium", "high"] | None = Field(
        default=None, alias="fail-on"
    )
    format: Literal[tuple(formats("check"))] | None = None  # type: ignore[valid-type]
    rules: str | None = None
    exclude: list[str] = []
    require_notes: Literal["info", "low", "medium", "high"] | None = Field(
        default=None, alias="require-notes"
    )
    cache_dir: str | None = Field(default=None, alias="cache-dir")  # of the result cache

    @field_validator("*", mode="before")
    @classmethod
    def _written(cls, value: object) -> object:
        """A key written with no value (`fail-on:`) is an error, not the default in silence
        (a key left out is not validated: its default stands)."""
        if value is None:
            raise PydanticCustomError("no_value", "has no value: write one, or leave the key out")
        return value
