from django.db import migrations


def create(apps, schema_editor):
    from samspill.partnerships.seeds import create_topics

    create_topics(apps.get_model("partnerships", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
