from django.db import migrations


def name_the_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(pk=1, defaults={"domain": "samspill.no", "name": "Samspill"})


class Migration(migrations.Migration):
    """allauth uses the site name in e-mails ("[Samspill] Bekreft e-postadressen din")."""

    dependencies = [("sites", "0002_alter_domain_unique")]

    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
