from django.db import migrations


def load(apps, schema_editor):
    from portal.content import load_content

    load_content(
        apps.get_model("portal", "GuidePage"),
        apps.get_model("portal", "FaqEntry"),
        apps.get_model("portal", "Office"),
    )


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
