"""The follow-up's models moved from rounds to followup keeping their tables
(followup.0001_initial, documents.0002 and rounds.0005 change Django's state
only): a database migrated before the move, with periods, reports and their
history written by the old models, migrates forward with every row read back
unchanged through the new models — and the content types, the document's
period and the history tables go on as before. PostgreSQL, as in production.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from followup.models import FollowUpPeriod, FollowUpReport
from prioritering.audit import save_as
from rounds.models import Phase, User
from tests.factories import analysis_of, make_proposal, make_round

# The state just before the move: followup not yet there, ranking and rounds
# at their last migration before it.
BEFORE = [
    ("followup", None),
    ("documents", None),
    ("ranking", "0007_form_versions"),
    ("rounds", "0004_settings_version_submittedform"),
]
MOVED = ("followupperiod", "followupreport", "historicalfollowupperiod", "historicalfollowupreport")

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def rows(model, order="pk") -> list[dict]:
    return list(model.objects.order_by(order).values())


def table_count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchone()[0]


def write_follow_up_the_old_way(old_apps, proposals, round, user) -> None:
    """Periods, reports, their history and a document of a period, written by
    the models of rounds as they were before the move."""
    period_model = old_apps.get_model("rounds", "FollowUpPeriod")
    report_model = old_apps.get_model("rounds", "FollowUpReport")
    period_history = old_apps.get_model("rounds", "HistoricalFollowUpPeriod")
    report_history = old_apps.get_model("rounds", "HistoricalFollowUpReport")
    document_model = old_apps.get_model("ranking", "Document")
    now = timezone.now()
    for kind, month in ((1, 4), (2, 8)):
        period = period_model.objects.create(
            round_id=round.pk, kind=kind, deadline=datetime.date(round.budget_year, month, 30)
        )
        period_history.objects.create(
            id=period.pk,
            round_id=round.pk,
            kind=kind,
            deadline=period.deadline,
            history_date=now,
            history_type="+",
            history_user_id=user.pk,
        )
        for number, proposal in enumerate(proposals):
            submitted = number == 0
            report = report_model.objects.create(
                period_id=period.pk,
                proposal_id=proposal.pk,
                state="inlamnad" if submitted else "utkast",
                progress="mindre_avvikelse" if submitted else "",
                cost_outcome_tkr=40 * kind if submitted else None,
                effect_achieved=2 if submitted else None,
                effect_text="Hälften av platserna är i gång.",
                deviation="Rekryteringen dröjde." if submitted else "",
                measures="Två tjänster annonseras om." if submitted else "",
                version=2,
                created_by_id=user.pk,
                submitted_at=now if submitted else None,
                submitted_by_id=user.pk if submitted else None,
            )
            for history_type in ("+", "~"):
                report_history.objects.create(
                    id=report.pk,
                    period_id=period.pk,
                    proposal_id=proposal.pk,
                    state=report.state,
                    progress=report.progress,
                    cost_outcome_tkr=report.cost_outcome_tkr,
                    effect_achieved=report.effect_achieved,
                    effect_text=report.effect_text,
                    deviation=report.deviation,
                    measures=report.measures,
                    version=report.version,
                    created_at=report.created_at,
                    created_by_id=user.pk,
                    submitted_at=report.submitted_at,
                    submitted_by_id=report.submitted_by_id,
                    history_date=now,
                    history_type=history_type,
                    history_user_id=user.pk,
                    history_change_reason="Inlämnad" if history_type == "~" else None,
                )
    document_model.objects.create(
        round_id=round.pk,
        kind="uppfoljning-pdf",
        period_id=period.pk,
        scope=f"period-{period.pk}",
        version=1,
        requested_by_id=user.pk,
        requested_at=now,
    )


def test_the_follow_up_migrates_with_every_row(postgres, demo):
    round = make_round(2026, phase=Phase.UPPFOLJNING)
    proposals = [make_proposal(analysis_of(round, "Bildningsförvaltningen")) for _ in range(3)]
    controller = User.objects.get(username="controller")

    executor = migrate(BEFORE)
    old_apps = executor.loader.project_state(list(executor.loader.applied_migrations)).apps
    write_follow_up_the_old_way(old_apps, proposals, round, controller)
    before = {
        name: rows(old_apps.get_model("rounds", name), order)
        for name, order in (
            ("FollowUpPeriod", "pk"),
            ("FollowUpReport", "pk"),
            ("HistoricalFollowUpPeriod", "history_id"),
            ("HistoricalFollowUpReport", "history_id"),
        )
    }
    old_content_types = old_apps.get_model("contenttypes", "ContentType").objects
    content_type_ids = {
        model: old_content_types.get(app_label="rounds", model=model).pk for model in MOVED
    }
    assert len(before["FollowUpReport"]) == 6 and len(before["HistoricalFollowUpReport"]) == 12

    executor = migrate(executor.loader.graph.leaf_nodes())

    assert rows(FollowUpPeriod) == before["FollowUpPeriod"]
    assert rows(FollowUpReport) == before["FollowUpReport"]
    assert rows(FollowUpPeriod.history.model, "history_id") == before["HistoricalFollowUpPeriod"]
    assert rows(FollowUpReport.history.model, "history_id") == before["HistoricalFollowUpReport"]
    # Read through the relations as the app reads them.
    report = FollowUpReport.objects.select_related("period__round", "proposal").get(
        period__kind=2, proposal=proposals[0]
    )
    assert report.period.round == round and report.is_deviating
    assert [entry.history_type for entry in report.history.order_by("history_id")] == ["+", "~"]
    assert FollowUpPeriod.objects.get(kind=2).documents.get().kind == "uppfoljning-pdf"
    # The content types are renamed, not made anew: permissions and the admin
    # log keep pointing at the same ids.
    ContentType.objects.clear_cache()
    for model in (FollowUpPeriod, FollowUpReport):
        for each in (model, model.history.model):
            content_type = ContentType.objects.get_for_model(each)
            assert content_type.app_label == "followup"
            assert content_type.pk == content_type_ids[each._meta.model_name]
    assert not ContentType.objects.filter(app_label="rounds", model__in=MOVED).exists()
    # The new models go on writing to the same tables, history included.
    history_rows = table_count("rounds_historicalfollowupreport")
    report.deviation = "Rekryteringen dröjde till juni."
    save_as(report, controller)
    assert table_count("rounds_historicalfollowupreport") == history_rows + 1
