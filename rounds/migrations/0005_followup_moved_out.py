# Written by hand on 2026-12-05 (issue 14).
"""The follow-up's models have moved to the followup app with their tables
(followup.0001_initial): they leave rounds' state here, and the database is
not touched — the tables rounds_followupperiod, rounds_followupreport and
their history tables stay, with every row, as the followup app's. After
documents.0002, which points the document's period at the new model first."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('followup', '0001_initial'),
        ('documents', '0002_document_period_followup'),
        ('rounds', '0004_settings_version_submittedform'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='HistoricalFollowUpReport'),
                migrations.DeleteModel(name='HistoricalFollowUpPeriod'),
                migrations.DeleteModel(name='FollowUpReport'),
                migrations.DeleteModel(name='FollowUpPeriod'),
            ],
        ),
    ]
