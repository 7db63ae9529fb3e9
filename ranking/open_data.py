"""The published round as open data: one document (``document``) written as
JSON (its schema is ``docs/oppna-data.schema.json``), as a CSV file for a
Swedish spreadsheet and — the forum's ranks, when the round publishes them
(``Round.publish_ballots``) — as a Pabulib file (https://pabulib.org/format).

What is in it is what the public page shows, as numbers: each forwarded
proposal in the agreed order with its sammanvägd rangordning, place,
decision, rättelser, side of the budget line and stability. The ballots are
each member's ranks keyed by the proposals' references, without a name, in an
order drawn at publication (``ForumResult.ballot_seed``): never a name, a user
id, an e-mail or anything of a draft. The data is always in Swedish, whatever
the reader's language, so every reader (and every cache) gets the same bytes.

``read`` asks the database (a fixed number of queries, whatever the number of
proposals or members); everything after it is pure."""

import csv
import functools
import hashlib
import io
import json
import random
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

from documents.spreadsheet import neutralise
from ranking import aggregate, budget, robustness, selectors
from ranking.models import Outcome
from rounds.models import Round
from rounds.models.proposal import Grad, Kostnadseffektivitet, Svarighetsgrad, types_text

SCHEMA_PATH = settings.BASE_DIR / "docs" / "oppna-data.schema.json"
LANGUAGE = "sv"


@dataclass
class Published:
    """What the documents are made from: the round's outcome rows with the
    line and stability laid on them, and the ballots to publish (None when
    the round does not publish them)."""

    round: Round
    rows: list
    line: budget.Line
    ballots: list[dict[int, int]] | None


def ballots_published(round: Round) -> bool:
    """Whether the round's open data carries the ballots: the setting is on
    and the order was fixed at publication (a result without a seed publishes
    none rather than the members' order)."""
    result = selectors.result_of(round)
    return bool(round.publish_ballots and result is not None and result.ballot_seed is not None)


def shuffled(ballots: list, seed: int) -> list:
    """``ballots`` (in the members' order, as ``forum_ballots`` gives them) in
    the order fixed by ``seed``: the same on every request, and not the
    members' order."""
    ballots = list(ballots)
    # A stable order, not a secret: the seed (drawn by secrets) only fixes it.
    random.Random(seed).shuffle(ballots)  # noqa: S311
    return ballots


def read(round: Round) -> Published:
    """The published round's rows, line, stability and ballots."""
    rows = selectors.outcome_rows(round, who_decided=False)
    line = selectors.with_line(rows, round.frame_tkr, round.purpose)
    selectors.robustness_of(round, rows, line)
    ballots = None
    if ballots_published(round):
        keys = {row.proposal.pk for row in rows}
        ballots = shuffled(selectors.forum_ballots(round, keys), round.forum_result.ballot_seed)
    return Published(round=round, rows=rows, line=line, ballots=ballots)


# --- the document ---


def _label(choices, value):
    return None if value is None else str(choices(value).label)


def _above_line(row, line: budget.Line) -> bool | None:
    """Above the line as the budget line page draws it; None off the line."""
    if row.step is not None:
        return row.step.funded
    if row.saving_step is not None and line.reduction:
        return row.saving_step.needed
    return None


def _corrections(row) -> list[dict]:
    """Each rättelse with what it changed: from the decision as published
    (or the correction before) to what holds after it."""
    out = []
    before = row.decision
    for correction in row.corrections:
        out.append(
            {
                "date": timezone.localtime(correction.corrected_at).date().isoformat(),
                "reason": correction.reason,
                "from_decision": before.outcome,
                "from_amount_tkr": before.amount_tkr,
                "decision": correction.outcome,
                "decision_label": str(Outcome(correction.outcome).label),
                "amount_tkr": correction.amount_tkr,
            }
        )
        before = correction
    return out


def _stability(stability: robustness.Stability | None) -> dict | None:
    if stability is None:
        return None
    return {
        "leave_one_out": stability.leave_one_out,
        "rules": {rule: stability.rules[rule] for rule in robustness.RULE_KEYS},
        "class": stability.klass,
        "class_label": str(stability.label),
    }


def _proposal(row, line: budget.Line) -> dict:
    proposal, combined, decision = row.proposal, row.combined, row.decision
    namnd = proposal.analysis.forvaltning.namnd
    return {
        "reference": proposal.reference,
        "title": proposal.title,
        "namnd": namnd.name,
        "typ": types_text(proposal.typ, proposal.also_types),
        "cost_year1_tkr": proposal.cost_year1,
        "cost_years_1_3_tkr": proposal.cost_years1_3,
        "svarighetsgrad": proposal.svarighetsgrad,
        "svarighetsgrad_label": _label(Svarighetsgrad, proposal.svarighetsgrad),
        "nytta": proposal.nytta,
        "nytta_label": _label(Grad, proposal.nytta),
        "kostnadseffektivitet": proposal.kostnadseffektivitet,
        "kostnadseffektivitet_label": _label(Kostnadseffektivitet, proposal.kostnadseffektivitet),
        "combined_place": row.computed_position if combined.count else None,
        "median_rank": combined.median,
        "mean_rank": combined.mean,
        "iqr": combined.iqr,
        "ranked_by": combined.count,
        "place": row.position,
        "decision": decision.outcome if decision else None,
        "decision_label": str(Outcome(decision.outcome).label) if decision else None,
        "amount_tkr": decision.amount_tkr if decision else None,
        "motivation": decision.motivation if decision else "",
        "corrections": _corrections(row) if decision else [],
        "above_line": _above_line(row, line),
        "stability": _stability(row.stability),
    }


def rule_text(purpose: str) -> str:
    """How the order, the line and the stability are computed, in words."""
    return "\n\n".join(
        str(text) for text in (aggregate.RULE, budget.rule(purpose), robustness.RULE)
    )


def document(published: Published) -> dict:
    """The open data of the published round (pure, given ``published``)."""
    round, line = published.round, published.line
    result = round.forum_result
    with translation.override(LANGUAGE):
        data = {
            "kommun": round.kommun.name,
            "budget_year": round.budget_year,
            "published_at": timezone.localtime(result.published_at).isoformat(timespec="seconds"),
            "purpose": round.purpose,
            "frame_tkr": round.frame_tkr,
            "savings_tkr": line.savings,
            "frame_with_savings_tkr": line.effective_frame,
            "rule": rule_text(round.purpose),
            "licence": {
                "name": settings.OPEN_DATA_LICENCE_NAME,
                "url": settings.OPEN_DATA_LICENCE_URL,
            },
            "proposals": [_proposal(row, line) for row in published.rows],
        }
        if published.ballots is not None:
            references = {row.proposal.pk: row.proposal.reference for row in published.rows}
            data["ballots"] = [
                {references[key]: rank for key, rank in sorted(ballot.items())}
                for ballot in published.ballots
            ]
    return data


# --- the files ---


def as_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _decimal(value: float | None) -> str:
    """A decimal as a Swedish spreadsheet reads it: a comma, at most two
    decimals, none when whole."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return "Ja" if value else "Nej"


CSV_HEADERS = (
    "Referens",
    "Titel",
    "Nämnd",
    "Typ",
    "Kostnad år 1 (tkr)",
    "Kostnad år 1–3 (tkr)",
    "Svårighetsgrad",
    "Nytta",
    "Kostnadseffektivitet",
    "Sammanvägd plats",
    "Median",
    "Medelvärde",
    "Kvartilavstånd",
    "Antal som rangordnat",
    "Plats",
    "Beslut",
    "Beviljat belopp år 1 (tkr)",
    "Motivering",
    "Rättelser",
    "Över linjen",
    "Över linjen utan en ledamot (andel)",
    "Över linjen med medelvärde",
    "Över linjen med Borda",
    "Över linjen med Copeland",
    "Stabilitet",
)


def _correction_text(correction: dict) -> str:
    amount = correction["amount_tkr"]
    holds = correction["decision_label"] + (f" ({amount} tkr)" if amount is not None else "")
    return f"{correction['date']}: {holds}. {correction['reason']}"


def as_csv(data: dict) -> bytes:
    """The proposals one row each, for Swedish Excel: UTF-8 with a BOM, ``;``
    between the cells, decimals with a comma and every text made inert for a
    spreadsheet (``documents.spreadsheet.neutralise``)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for p in data["proposals"]:
        stability = p["stability"] or {}
        rules = stability.get("rules") or {}
        cells = [
            p["reference"],
            p["title"],
            p["namnd"],
            p["typ"],
            p["cost_year1_tkr"],
            p["cost_years_1_3_tkr"],
            p["svarighetsgrad_label"] or "",
            p["nytta_label"] or "",
            p["kostnadseffektivitet_label"] or "",
            "" if p["combined_place"] is None else p["combined_place"],
            _decimal(p["median_rank"]),
            _decimal(p["mean_rank"]),
            _decimal(p["iqr"]),
            p["ranked_by"],
            p["place"],
            p["decision_label"] or "",
            "" if p["amount_tkr"] is None else p["amount_tkr"],
            p["motivation"],
            " | ".join(_correction_text(c) for c in p["corrections"]),
            _yes_no(p["above_line"]),
            _decimal(stability.get("leave_one_out")),
            _yes_no(rules.get(robustness.MEAN)),
            _yes_no(rules.get(robustness.BORDA)),
            _yes_no(rules.get(robustness.COPELAND)),
            stability.get("class_label", ""),
        ]
        writer.writerow([neutralise(cell) for cell in cells])
    return out.getvalue().encode("utf-8")


def as_pabulib(data: dict) -> str:
    """The ballots in the Pabulib format (``vote_type`` ordinal): META,
    PROJECTS (the proposals in the agreed order; cost år 1 in tkr, negative
    for a saving) and VOTES, where ``vote`` lists a member's ranked proposals
    rank 1 first — proposals of equal rank in the agreed order — and the
    extra column ``ranks`` gives their ranks in the same order, so the ties
    can be recovered. Requires ``data["ballots"]``."""
    ballots = data["ballots"]
    proposals = data["proposals"]
    order = {p["reference"]: i for i, p in enumerate(proposals)}
    published = data["published_at"][:10]
    day = ".".join(reversed(published.split("-")))  # Pabulib's dd.mm.yyyy
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    meta = [
        (
            "description",
            f"Prioritering {data['budget_year']}, {data['kommun']}: forumets rangordningar "
            "(kommunövergripande prioritering)",
        ),
        ("country", "Sverige"),
        ("unit", data["kommun"]),
        ("instance", data["budget_year"]),
        ("num_projects", len(proposals)),
        ("num_votes", len(ballots)),
        ("budget", data["frame_with_savings_tkr"]),
        ("currency", "tkr (tusental kronor)"),
        ("vote_type", "ordinal"),
        ("rule", "median"),
        ("date_begin", day),
        ("date_end", day),
        ("language", "sv"),
        (
            "comment",
            "Kostnad = kostnad år 1 i tkr (negativ för en besparing). budget = ramen "
            "inklusive besparingarna. Projekten står i forumets överenskomna ordning. "
            "vote = förslagen en ledamot rangordnat, rang 1 först och lika rang i projektens "
            "ordning; ranks = rangerna (1-10) i samma ordning. Ledamöterna står i en slumpad "
            "ordning, utan namn. selected = 1 för förslag över budgetlinjen, 0 för övriga "
            "(också besparingar som bara vidgar ramen). Datumen är publiceringens. Regeln: "
            + data["rule"].replace("\n\n", " "),
        ),
        ("licence", f"{data['licence']['name']} {data['licence']['url']}"),
    ]
    for key, value in meta:
        writer.writerow([key, value])
    writer.writerow(["PROJECTS"])
    writer.writerow(["project_id", "cost", "name", "namnd", "place", "median_rank", "selected"])
    for p in proposals:
        writer.writerow(
            [
                p["reference"],
                p["cost_year1_tkr"],
                p["title"],
                p["namnd"],
                p["place"],
                "" if p["median_rank"] is None else p["median_rank"],
                1 if p["above_line"] else 0,
            ]
        )
    writer.writerow(["VOTES"])
    writer.writerow(["voter_id", "vote", "ranks"])
    for voter, ballot in enumerate(ballots, start=1):
        ranked = sorted(ballot.items(), key=lambda item: (item[1], order[item[0]]))
        writer.writerow(
            [
                voter,
                ",".join(reference for reference, _rank in ranked),
                ",".join(str(rank) for _reference, rank in ranked),
            ]
        )
    return out.getvalue()


# --- the schema, for the page that explains the data ---


@functools.cache
def schema() -> dict:
    """The JSON Schema of the document (``docs/oppna-data.schema.json``)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_fields(schema: dict, definition: str | None) -> list[tuple[str, str, str]]:
    """(name, type in words, description) of each field of the document
    (``definition`` None) or of one of its definitions (``proposal``…)."""
    node = schema if definition is None else schema["$defs"][definition]
    fields = []
    for name, spec in node["properties"].items():
        fields.append((name, _type_words(spec), spec.get("description", "")))
    return fields


TYPE_WORDS = {
    "string": "text",
    "integer": "heltal",
    "number": "tal",
    "boolean": "sant/falskt",
    "object": "objekt",
    "array": "lista",
    "null": "null",
}


def _type_words(spec: dict) -> str:
    if "enum" in spec:
        return "kod"
    if "$ref" in spec or "oneOf" in spec:
        return "objekt eller null" if "oneOf" in spec else "objekt"
    types = spec.get("type", [])
    types = [types] if isinstance(types, str) else types
    return " eller ".join(TYPE_WORDS.get(name, name) for name in types)
