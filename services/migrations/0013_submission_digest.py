"""Submission keys are kept only as keyed digests (portal.cases.codes), with the digest of the
browser and form that sent them (portal.cases.replay)."""

from django.db import migrations, models
from django.utils.crypto import salted_hmac


def digest_keys(apps, schema_editor):
    model = apps.get_model("services", "servicerequest")
    rows = model._base_manager.exclude(submission_key=None).only("pk", "submission_key")
    for row in rows.iterator(chunk_size=2000):
        digest = salted_hmac(
            "portal.cases.submission-key", str(row.submission_key), algorithm="sha256"
        ).hexdigest()
        model._base_manager.filter(pk=row.pk).update(submission_digest=digest)


class Migration(migrations.Migration):
    dependencies = [("services", "0012_case_language")]

    operations = [
        migrations.AddField(
            model_name="servicerequest",
            name="submission_digest",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, unique=True
            ),
        ),
        migrations.AddField(
            model_name="servicerequest",
            name="submission_binding",
            field=models.CharField(blank=True, db_default="", editable=False, max_length=64),
        ),
        migrations.RunPython(digest_keys, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="servicerequest", name="submission_key"),
    ]
