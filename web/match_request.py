"""The profile of ``POST /api/match`` (also the Gradio ``/match`` endpoint, the 政策匹配 tab and the CLI's
profile file): one model, generated from the data.

The subject is an enum of the subject types, the region one of the corpus regions, and ``inputs`` has
one optional field per rule input, typed as the calculators type it, so the schema states every
constraint the server enforces and a profile it allows is one ``Assistant.match`` accepts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, create_model

from assistant import Assistant, InputError
from assistant.rules import InputSpec, Rule
from assistant.understand import MAX_QUESTION_CHARS
from web.calc_request import IsoDate, inputs_model
from web.messages import explain
from web.models import VISIBLE

STAGES = ("早期", "初创期", "成长期", "成熟期")
# The engine checks the description on its own, as long as a question may be.
MAX_DESCRIPTION_CHARS = MAX_QUESTION_CHARS
_VISIBLE = re.compile(VISIBLE)


def _stated(text: str) -> str:
    """Spaces or control characters alone state no fact (the engine would refuse them as an empty question)."""
    return text if _VISIBLE.search(text) else ""


Description = Annotated[str, StringConstraints(max_length=MAX_DESCRIPTION_CHARS), AfterValidator(_stated)]


class MatchRequest(BaseModel):
    """What every generated profile model holds; each narrows ``subject``, ``region`` and ``inputs``."""

    model_config = ConfigDict(extra="forbid")
    subject: str
    region: str | None = None
    stage: Literal[STAGES] | None = Field(default=None, description="发展阶段（企业的，或所投企业的）")  # type: ignore[valid-type]
    inputs: BaseModel
    description: Description = Field(
        default="",
        description=f"已知情况，用平常的话写（{MAX_DESCRIPTION_CHARS}字以内），如“去年付了80万利息，按时还款”",
    )
    on: IsoDate | None = Field(default=None, description="所依据的日期（YYYY-MM-DD），只列当日施行的措施；不填为今天")

    def profile(self) -> dict[str, object]:
        """The mapping ``Assistant.match`` takes."""
        return {
            "subject": self.subject,
            "region": self.region,
            "stage": self.stage,
            "inputs": self.inputs.model_dump(exclude_none=True),
            "description": self.description,
            "on": self.on,
        }


@dataclass(frozen=True)
class ProfileSchema:
    """The profile model for one corpus, and the inputs it names (for the messages about them)."""

    model: type[MatchRequest]
    inputs: tuple[InputSpec, ...]
    parties: tuple[str, ...] = ()  # a profile names no party (``web.messages.Fields``)

    def parse(self, data: Mapping[str, Any]) -> MatchRequest:
        """``data`` validated; ``InputError`` with one Chinese sentence per field at fault."""
        try:
            return self.model.model_validate(data)
        except ValidationError as err:
            raise InputError(explain(err.errors(), self)) from None


def profile_schema(subjects: Sequence[str], regions: Sequence[str], rules: Sequence[Rule]) -> ProfileSchema:
    specs = _inputs(rules)
    inputs = inputs_model("MatchInputs", specs, "已知的测算输入项（见 /api/rules）；不填的项按未说明处理")
    model = create_model(
        "MatchRequest",
        __base__=MatchRequest,
        subject=(Literal[tuple(subjects)], Field(description="主体类型")),
        region=(Literal[tuple(regions)] | None, Field(default=None, description="地区；不填为全部地区")),
        inputs=(inputs, Field(default_factory=inputs, description="已知的金额、比例、是否等，按输入项名填写")),
    )
    model.__doc__ = "政策匹配的主体画像"
    return ProfileSchema(model, specs)


def schema_for(assistant: Assistant) -> ProfileSchema:
    """The profile schema of the assistant's corpus: regions in order of issue, as the page lists them."""
    documents = sorted(assistant.index.corpus.documents, key=lambda d: (d.issued, d.id))
    regions = tuple(dict.fromkeys(d.region for d in documents))
    return profile_schema(tuple(assistant.subjects.types), regions, assistant.rules.rules)


def _inputs(rules: Sequence[Rule]) -> tuple[InputSpec, ...]:
    """Every rule input once. Rules sharing an input name share its type (tests/test_match_api.py checks);
    the labels of all of them are kept, since a profile's value goes to each."""
    found: dict[str, list[InputSpec]] = {}
    for rule in rules:
        for spec in rule.inputs:
            found.setdefault(spec.name, []).append(spec)
    return tuple(
        dataclasses.replace(specs[0], label="／".join(dict.fromkeys(s.label for s in specs)))
        for specs in found.values()
    )
