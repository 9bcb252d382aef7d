"""The typed answers of the REST API and of the page's named API endpoints, built in one place."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from assistant import money
from assistant.match_page import match_page as printable
from web import models
from web.calc_request import CalcRequest
from web.match_request import MatchRequest
from web.service import PolicyService


def ask(service: PolicyService, request: models.AskRequest) -> models.AskResponse:
    cid, answer = service.ask(request.question, request.conversation_id)
    return models.AskResponse.model_validate({**answer.to_dict(), "conversation_id": cid})


def search(service: PolicyService, query: models.SearchQuery) -> models.SearchResponse:
    result = service.lookup(
        query.q, query.k, query.region, query.doc_id, query.unit, query.level, query.status, query.on
    )
    hits = []
    for h in result.hits:
        clause = service.clause(h.clause_id)
        hits.append(
            models.SearchHit(
                clause_id=h.clause_id,
                doc_id=h.doc_id,
                label=clause.label,
                heading=clause.heading,
                score=h.score,
                sentence=h.sentence,
                span=h.span,
                matched=list(h.matched),
            )
        )
    exact = [models.ClauseRef(clause_id=c.id, doc_id=c.doc_id, label=c.label, heading=c.heading) for c in result.exact]
    return models.SearchResponse(query=result.query, exact=exact, hits=hits)


def clause(service: PolicyService, clause_id: str) -> models.ClauseOut:
    c = service.clause(clause_id)
    doc = service.document(c.doc_id)
    return models.ClauseOut(
        id=c.id,
        doc_id=c.doc_id,
        doc_number=doc.doc_number,
        document_title=doc.title,
        region=doc.region,
        in_force=doc.in_force.describe(),
        number=c.number,
        kind=c.kind,
        heading=c.heading,
        section=c.section,
        label=c.label,
        text=c.text,
        units=[models.UnitOut(name=u.name, lead=u.lead) for u in c.units],
        rules=[r.id for r in service.rules_for(c.id)],
    )


def rules(service: PolicyService) -> list[models.RuleOut]:
    return [
        models.RuleOut(
            id=r.id,
            label=r.label,
            clause_id=r.clause_id,
            doc_id=r.doc_id,
            kind=r.kind,
            unit=r.unit,
            quote=r.quote,
            inputs=[
                models.InputOut(name=s.name, label=s.label, unit=s.unit, choices=list(s.choices)) for s in r.inputs
            ],
            conditions=[c.text for c in r.conditions],
            parties=list(r.parties),
            in_force=r.in_force.describe(),
        )
        for r in service.rules
    ]


def calc(service: PolicyService, rule_id: str, body: CalcRequest) -> models.CalcResponse:
    """``body``: the rule's own request model (``request_model(rule)``), validated."""
    rule = service.rule(rule_id)
    result = service.calc(rule_id, body.inputs.model_dump(exclude_none=True), on=body.on, party=body.party)
    return models.CalcResponse.model_validate(
        {
            **result.to_dict(),
            "label": rule.label,
            "clause_label": service.clause(rule.clause_id).label,
            "quote": rule.quote,
            "amount_text": money.fmt(result.amount, result.unit) if result.amount is not None else None,
        }
    )


def match(service: PolicyService, request: MatchRequest) -> models.MatchResponse:
    return models.MatchResponse.model_validate(service.match(request).to_dict())


def match_page(service: PolicyService, request: MatchRequest) -> str:
    """The printable page of the match (self-contained HTML)."""
    return printable(service.match(request))


def as_json(model: BaseModel) -> dict[str, Any]:
    """What a Gradio API client receives: the REST body (fields an answer leaves out stay out)."""
    return model.model_dump(mode="json", exclude_unset=True)
