# Written by hand on 2026-12-05 (issue 14).
"""The follow-up's models have moved to the followup app with their tables
(followup.0001_initial): the document's period points at the same table,
now followup's model. State only: the database's foreign key already points
at rounds_followupperiod, which keeps its name. Before rounds.0005 takes the
old model out of rounds' state."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0001_initial'),
        ('followup', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='document',
                    name='period',
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name='documents',
                        to='followup.followupperiod',
                        verbose_name='uppföljningsperiod',
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
