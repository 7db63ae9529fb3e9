# Issue 14: Document moves to the documents app (documents 0001), keeping its
# table, rows, constraints and index; here it leaves ranking's state only.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('ranking', '0008_document_kinds_registered'),
        ('documents', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Document')],
            database_operations=[],
        ),
    ]
