"""The rows a write locks, in the one order every service takes them.

Every service that writes runs in one transaction and, before it reads what
its rule and its preconditions depend on, locks the rows it will rely on or
write, from the top of this list down — never upwards, and never by leaving
the lock to a foreign key (PostgreSQL takes a foreign key's KEY SHARE lock on
the referenced row only at COMMIT, since Django's foreign keys are
``DEFERRABLE INITIALLY DEFERRED``: a service that relied on it would take its
locks in the wrong order, and two such services deadlock):

0. The form's submit key (``rounds.models.SubmittedForm``, claimed by
   ``prioritering.transactions`` before the view runs; only the same user's
   same key waits on it, holding nothing else).
1. The round — :func:`round_to_work_in` (FOR SHARE) to write anything in it
   that its phase, publication or set-up decides on; :func:`round_to_change`
   (FOR UPDATE) to change its phase, set-up, forum members or publication
   (a member's sheet is saved under the round's shared lock, so a member
   removed meanwhile is seen), to number new proposals (create, carry over,
   import) or to create its rows once. Two rounds: the earlier budget year
   first.
2. The forum's result (:func:`forum_result`): order, review, decisions,
   publication, rättelser.
3. A nämnd's result (:func:`namnd_result`): its rankings and recording.
4. An analysis — :func:`analysis_to_work_in` (FOR SHARE) to change one of its
   proposals; :func:`analysis_to_change` (FOR UPDATE) to change its status,
   its items, or add proposals to it.
5. An analysis item.
6. A proposal.
7. A forumdeltagare's sheet (:func:`forum_sheet`: the member's user row) and
   its ForumRank rows.
8. The ranking rows under a result (NamndRanking, AgreedPlace, Decision,
   DecisionCorrection), which their result's lock already guards.
9. Follow-up periods and reports.

Each function reads its row afresh under the lock, so the rules are asked of
the state that holds until COMMIT — a phase moved, an analysis submitted or a
round published a moment before is seen; one moved a moment after waits.

On SQLite, transactions are IMMEDIATE (one writer at a time), so the row
locks are not needed; the functions then only read afresh.
"""

from django.db import IntegrityError, connection, transaction

from rounds.models import Analysis, Round, SubmittedForm, User


def _share(model, pk) -> None:
    """FOR SHARE on one row (PostgreSQL): others may share it too, nobody may
    change it until COMMIT. Django's ORM only knows FOR UPDATE."""
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE {column} = %s FOR SHARE", [pk])  # noqa: S608


def _pk(obj_or_pk) -> int:
    return getattr(obj_or_pk, "pk", obj_or_pk)


def _rounds():
    # The forum result comes with the round (the access rules ask whether it
    # is published); publishing locks the round, so it cannot change meanwhile.
    return Round.objects.select_related("forum_result").prefetch_related("deadlines")


def round_to_work_in(round) -> Round:
    """The round read afresh under a shared lock: its phase, set-up and
    publication hold until COMMIT."""
    _share(Round, _pk(round))
    return _rounds().get(pk=_pk(round))


def round_to_change(round) -> Round:
    """The round read afresh under its exclusive lock.

    Locked first, read after, in two statements: a FOR UPDATE that waited for
    another transaction sees its change to the locked row itself, but not to
    the rows joined to it (PostgreSQL re-reads only the row it locks, and only
    when that row was updated). One statement would return the forum result
    as it stood before a publication that finished while it waited."""
    Round.objects.select_for_update().filter(pk=_pk(round)).values_list("pk").first()
    return _rounds().get(pk=_pk(round))


def _analyses():
    return Analysis.objects.select_related("forvaltning__namnd")


def _with_round(analysis: Analysis, round: Round) -> Analysis:
    if analysis.round_id != round.pk:
        raise ValueError("the analysis is not of the round locked")
    analysis.round = round
    return analysis


def analysis_to_work_in(analysis, round: Round) -> Analysis:
    """The analysis read afresh under a shared lock (its status holds until
    COMMIT), with ``round`` — locked before it — as its round."""
    _share(Analysis, _pk(analysis))
    return _with_round(_analyses().get(pk=_pk(analysis)), round)


def analysis_to_change(analysis, round: Round) -> Analysis:
    """The analysis read afresh under its exclusive lock."""
    locked = _analyses().select_for_update(of=("self",), no_key=True).get(pk=_pk(analysis))
    return _with_round(locked, round)


def analysis_and_round(analysis, *, change: bool = True) -> Analysis:
    """Lock the analysis's round (shared), then the analysis; the analysis
    comes back with the locked round as its round."""
    round_id = Analysis.objects.values_list("round_id", flat=True).get(pk=_pk(analysis))
    round = round_to_work_in(round_id)
    lock = analysis_to_change if change else analysis_to_work_in
    return lock(analysis, round)


def forum_sheet(member) -> None:
    """Lock a forumdeltagare's sheet: their user row, FOR NO KEY UPDATE (which
    leaves the rows that refer to the user free to be written)."""
    User.objects.select_for_update(no_key=True).filter(pk=_pk(member)).values_list("pk").first()


def claim_once(user, key: str, path: str = "") -> bool:
    """Claim a one-time token (an import's preview, say) for ``user`` in this
    transaction: True the first time, False when it was claimed before. Two
    claims at once: the second waits for the first's COMMIT (the unique
    index), then finds it claimed; a claim rolled back with its transaction
    can be made again."""
    if SubmittedForm.objects.filter(user=user, key=key).exists():
        return False
    try:
        with transaction.atomic():
            SubmittedForm.objects.create(user=user, key=key, path=path[:500])
    except IntegrityError:
        return False
    return True


def get_or_create_locked(model, lookup: dict, make):
    """The row ``lookup`` finds, locked FOR UPDATE — or, when there is none,
    the one ``make()`` creates and saves (and returns). Two first requests at
    once: the second's INSERT waits for the first's COMMIT on the unique
    index, fails, and the row the first made is read and locked instead.
    Returns ``(row, created)``."""
    row = model.objects.select_for_update(of=("self",)).filter(**lookup).first()
    if row is not None:
        return row, False
    try:
        with transaction.atomic():
            return make(), True
    except IntegrityError:
        return model.objects.select_for_update(of=("self",)).get(**lookup), False
