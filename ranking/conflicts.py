"""The forum's agreed order, review and decisions as the values their forms
hold — at the version a form was loaded at (from the history), as stored
now, and as posted — for the merge of a form saved from an older version
(``rounds.conflicts``).

The order and the decisions are one row per proposal; a row's fields are
named as the form names them (``place_12``, ``motivation_12``; ``outcome_12``,
``amount_12``, ``motivation_12``). Every function takes the rows of
:func:`ranking.selectors.outcome_rows` (the proposals the forum has now)."""

from typing import Any

from django.core.exceptions import ValidationError

from prioritering.numbers import parse_int, parse_tkr
from ranking.models import AgreedPlace, Decision, ForumResult, Outcome
from rounds.conflicts import rows_as_of, version_record
from rounds.models import Round


def result_history(round: Round):
    return ForumResult.history.filter(round_id=round.pk)


def _version_time(round: Round, result, version_field: str, version: int):
    """When the result's ``version_field`` stood at ``version``: the time of
    its last history row at that version; False when the history does not
    have it, None when there is no result yet (nothing recorded: version 1)."""
    if result is None:
        return None if version == 1 else False
    record = version_record(result_history(round), version_field, version)
    return False if record is None else record.history_date


def _parsed(text, parse) -> Any:
    """A posted number as the merge compares it: the number, or the text as
    typed when it is none (it then differs from every stored value)."""
    try:
        return parse(text)
    except ValidationError:
        return str(text).strip()


# --- the agreed order ---


def order_values(rows, places: dict[int, tuple[int, str]]) -> dict[str, Any]:
    """The order form's values with ``places`` (proposal id → place and
    motivation): the placed proposals in their order, then the others in the
    computed order, as the page lays them out (``outcome_rows``)."""

    def key(row):
        place = places.get(row.proposal.pk)
        return (place is None, place[0] if place else row.computed_position)

    values: dict[str, Any] = {}
    for position, row in enumerate(sorted(rows, key=key), start=1):
        pk = row.proposal.pk
        values[f"place_{pk}"] = position
        values[f"motivation_{pk}"] = places[pk][1] if pk in places else ""
    return values


def current_order(rows) -> dict[str, Any]:
    places = {row.proposal.pk: row.place for row in rows if row.place}
    return order_values(rows, {pk: (p.position, p.motivation) for pk, p in places.items()})


def order_at_version(round: Round, result, version: int, rows) -> dict[str, Any] | None:
    when = order_time(round, result, version)
    if when is False:
        return None
    if when is None:
        return order_values(rows, {})
    places = rows_as_of(AgreedPlace.history.filter(result_id=result.pk), "proposal_id", when)
    return order_values(rows, {pk: (h.position, h.motivation) for pk, h in places.items()})


def order_time(round: Round, result, version: int):
    return _version_time(round, result, "order_version", version)


def posted_order(places: dict[int, str], motivations: dict[int, str], rows) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for row in rows:
        pk = row.proposal.pk
        values[f"place_{pk}"] = _parsed(places.get(pk, ""), lambda text: parse_int(text, minimum=1))
        values[f"motivation_{pk}"] = (motivations.get(pk) or "").strip()
    return values


# --- the review ---


def review_values(obj) -> dict[str, str]:
    """The answers of a result, or of one of its history rows ("" without one)."""
    return {name: getattr(obj, name, "") if obj else "" for name in ForumResult.REVIEW_FIELDS}


def review_at_version(round: Round, result, version: int) -> dict[str, str] | None:
    if result is None:
        return review_values(None) if version == 1 else None
    record = version_record(result_history(round), "review_version", version)
    return None if record is None else review_values(record)


def posted_review(answers: dict[str, str]) -> dict[str, str]:
    return {name: (answers.get(name) or "").strip() for name in ForumResult.REVIEW_FIELDS}


# --- the decisions ---


def decision_values(rows, decisions: dict[int, tuple]) -> dict[str, Any]:
    """The decisions form's values with ``decisions`` (proposal id → outcome,
    amount, motivation); a proposal without one is undecided."""
    values: dict[str, Any] = {}
    for row in rows:
        pk = row.proposal.pk
        outcome, amount, motivation = decisions.get(pk, ("", None, ""))
        values[f"outcome_{pk}"] = outcome
        values[f"amount_{pk}"] = amount
        values[f"motivation_{pk}"] = motivation
    return values


def current_decisions(rows) -> dict[str, Any]:
    saved = {row.proposal.pk: row.decision for row in rows if row.decision}
    return decision_values(
        rows, {pk: (d.outcome, d.amount_tkr, d.motivation) for pk, d in saved.items()}
    )


def decisions_time(round: Round, result, version: int):
    return _version_time(round, result, "decisions_version", version)


def decisions_at_version(round: Round, result, version: int, rows) -> dict[str, Any] | None:
    when = decisions_time(round, result, version)
    if when is False:
        return None
    if when is None:
        return decision_values(rows, {})
    saved = rows_as_of(Decision.history.filter(round_id=round.pk), "proposal_id", when)
    return decision_values(
        rows, {pk: (h.outcome, h.amount_tkr, h.motivation) for pk, h in saved.items()}
    )


def posted_decisions(posted: dict[int, dict], rows) -> dict[str, Any]:
    """What was posted, as the service would read it: the amount counts only
    for partial financing (it is not stored otherwise)."""
    values: dict[str, Any] = {}
    for row in rows:
        pk = row.proposal.pk
        data = posted.get(pk, {})
        outcome = (data.get("outcome") or "").strip()
        amount = _parsed(data.get("amount") or "", parse_tkr) if outcome == Outcome.DELVIS else None
        values[f"outcome_{pk}"] = outcome
        values[f"amount_{pk}"] = amount
        values[f"motivation_{pk}"] = (data.get("motivation") or "").strip()
    return values
