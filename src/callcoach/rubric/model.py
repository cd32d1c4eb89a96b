"""The rubric language as Pydantic models. This is the contract rubric authors write to:
keys may be added, never renamed or given a new meaning. The JSON Schema that editors read
(`callcoach rubric schema`) is generated from these classes.
"""
from __future__ import annotations

import hashlib
import json
import math
from typing import Annotated, Literal, Optional, Union

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from callcoach.rubric.fields import (ID_PATTERN, MAX_WEIGHT, Before, CheckBase,  # noqa: F401
                                     Method, Speaker, Span, Step, Strict, Trigger, Within,
                                     _TEXT_OR_NUMBER)
from callcoach.scoring.checks import CHECKS

# One model per check type, each in its module (scoring/checks/), told apart by `type`.
Check = Annotated[Union[tuple(check.MODEL for check in CHECKS.values())],
                  Field(discriminator="type")]


class Anchors(Strict):
    pass_: Optional[str] = Field(None, alias="pass", description="What passing looks like.")
    fail: Optional[str] = Field(None, description="What failing looks like.")


class Example(Strict):
    """Executable documentation: `rubric lint` runs it through the real matcher."""

    text: str
    match: bool = True
    step: Optional[str] = None  # for sequence/response: which step it should (not) match; 'trigger' or 'before' too
    verdict: Optional[Literal["pass", "fail", "na"]] = Field(None, description=(
        "Question checks: the verdict a reviewer gives `text`, lines like 'Rep: …' and "
        "'Prospect: …'; `rubric lint --judge` asks the model and compares."))


class Criterion(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Optional[str] = None
    weight: float = Field(1.0, description="Relative weight; shown as % of the rubric's total.",
                          json_schema_extra={"minimum": 0, "maximum": MAX_WEIGHT})
    section: Optional[str] = None
    standard: Optional[str] = Field(None, description="The standard, in one sentence.")
    anchors: Optional[Anchors] = None
    critical: bool = Field(False, description="A failed critical criterion fails the call.")
    check: Check
    examples: list[Example] = Field(default_factory=list)

    @field_validator("weight")
    @classmethod
    def _weight(cls, v: float) -> float:
        if v < 0:
            raise PydanticCustomError("negative-weight", "expected 0 or more, found {found}",
                                      {"found": f"{v:g}"})
        if v > MAX_WEIGHT:
            raise PydanticCustomError("bad-value", "expected at most {most}, found {found}",
                                      {"most": f"{MAX_WEIGHT:,}", "found": f"{v:g}"})
        return v

    @property
    def title(self) -> str:
        return self.name or self.id.replace("_", " ").capitalize()


class Rubric(Strict):
    rubric: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="The rubric's id.")
    name: Optional[str] = None
    version: Annotated[Optional[str], _TEXT_OR_NUMBER] = None
    description: Optional[str] = None
    pass_mark: float = Field(0.7, ge=0, le=1)
    criteria: list[Criterion] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_str(cls, v):
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError(f"{v} is not a version")
        return str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v

    @model_validator(mode="after")
    def _some_weight(self):
        if self.criteria and all(c.weight == 0 for c in self.criteria):
            raise PydanticCustomError("zero-weights",
                                      "every criterion has weight 0, so no score can be computed")
        return self

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    @property
    def content_hash(self) -> str:
        """Hash of the validated rubric: comments and formatting do not force a re-score. A
        rubric whose trigger reads the learned push-back model scores with its weights too, so
        new weights are a new hash (and its calls are scored again)."""
        canonical = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True)
        if any(getattr(getattr(c.check, "trigger", None), "pushback_model", False)
               for c in self.criteria):
            from callcoach.matching import pushback_model

            canonical += pushback_model.digest()
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]
