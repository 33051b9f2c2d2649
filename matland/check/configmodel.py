"""The config's schema as a pydantic model: the reference that validates a config whose
values config.py does not take as they are, and says what is wrong with it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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
