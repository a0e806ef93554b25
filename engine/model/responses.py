"""The auditee's responses (tanggapan) to an audit's violations, and the waivers (pengecualian) an
inspector grants: the shape of the file `patuh audit --responses` reads.

Kept beside the facts, not in them: facts are what the unit holds; a response is what it says
about a finding once it has read the draft LHP. One entry per violated rule:

    responses:
      - rule: tegal.pasal-9-ayat-4
        response:                       # tanggapan
          stance: action_plan           # agree | disagree | action_plan
          action: Menyediakan ruang laktasi di lantai 1
          due_on: 2025-06-30            # action_plan: when the action is done
          responsible: Kepala Bagian Umum
        waiver:                         # pengecualian (optional)
          justification: Gedung sewaan; renovasi menunggu persetujuan pemilik
          approved_by: Inspektur Kabupaten Tegal
          approved_on: 2025-01-10
          expires_on: 2025-12-31

`disagree` needs the unit's `reason`; `action_plan` its `action`, `due_on` and `responsible`. A
waived violation keeps its status in the record and is reported as waived until `expires_on`;
audited after that day, it is reported as open again and says the waiver has lapsed.
Field names are English like the facts'; the values are the unit's and the inspector's words.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

Stance = Literal["agree", "disagree", "action_plan"]
TEXT = Field(default=None, min_length=1, max_length=2000)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Response(Strict):
    stance: Stance
    reason: Optional[str] = TEXT
    action: Optional[str] = TEXT
    due_on: Optional[date] = None
    responsible: Optional[str] = TEXT

    @model_validator(mode="after")
    def _what_the_stance_needs(self) -> "Response":
        if self.stance == "disagree" and not self.reason:
            raise ValueError("a unit that disagrees gives its `reason`")
        if self.stance == "action_plan":
            lacking = [name for name in ("action", "due_on", "responsible") if getattr(self, name) in (None, "")]
            if lacking:
                raise ValueError(f"an action plan names its {', '.join(f'`{name}`' for name in lacking)}")
        return self


class Waiver(Strict):
    justification: str = Field(min_length=1, max_length=2000)
    approved_by: str = Field(min_length=1, max_length=2000)
    approved_on: date
    expires_on: date

    in_force: Optional[bool] = None  # set by the audit: the as-of date is on or before `expires_on`

    @model_validator(mode="after")
    def _expires_after_approval(self) -> "Waiver":
        if self.expires_on < self.approved_on:
            raise ValueError(f"`expires_on` ({self.expires_on.isoformat()}) is before `approved_on` "
                             f"({self.approved_on.isoformat()}): a waiver ends after it is granted")
        return self


class ResponseEntry(Strict):
    rule: str = Field(min_length=1)
    response: Optional[Response] = None
    waiver: Optional[Waiver] = None

    @model_validator(mode="after")
    def _says_something(self) -> "ResponseEntry":
        if self.response is None and self.waiver is None:
            raise ValueError("an entry gives a `response`, a `waiver`, or both")
        return self


class Responses(Strict):
    responses: list[ResponseEntry] = Field(min_length=1)
