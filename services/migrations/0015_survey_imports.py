"""Imports of paper questionnaires (SurveyImport): each CSV file read by import_skm is a row
(who, when, which file by its SHA-256 digest, how many rows, why identical answers were let in),
its responses point to it, and a file stands imported once until its import is rolled back."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0014_decree_amendments"),
    ]

    operations = [
        migrations.CreateModel(
            name="SurveyImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("file_name", models.CharField(max_length=255, verbose_name="nama berkas")),
                ("digest", models.CharField(max_length=64, verbose_name="sidik SHA-256")),
                (
                    "operator",
                    models.CharField(
                        help_text="Pengguna sistem atau --by.",
                        max_length=150,
                        verbose_name="diimpor oleh",
                    ),
                ),
                ("imported_at", models.DateTimeField(verbose_name="waktu impor")),
                ("row_count", models.PositiveIntegerField(verbose_name="jumlah kuesioner")),
                (
                    "allow_duplicates",
                    models.BooleanField(default=False, verbose_name="jawaban kembar diizinkan"),
                ),
                (
                    "duplicate_count",
                    models.PositiveIntegerField(default=0, verbose_name="jawaban kembar"),
                ),
                ("reason", models.TextField(blank=True, max_length=2000, verbose_name="alasan")),
                (
                    "rolled_back_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="dibatalkan pada"),
                ),
                (
                    "rolled_back_by",
                    models.CharField(blank=True, max_length=150, verbose_name="dibatalkan oleh"),
                ),
                (
                    "rollback_reason",
                    models.TextField(blank=True, max_length=2000, verbose_name="alasan pembatalan"),
                ),
            ],
            options={
                "verbose_name": "impor kuesioner SKM",
                "verbose_name_plural": "impor kuesioner SKM",
                "ordering": ["-imported_at", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="surveyresponse",
            name="survey_import",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="responses",
                to="services.surveyimport",
                verbose_name="impor berkas",
            ),
        ),
        migrations.CreateModel(
            name="SurveyImportAgency",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("row_count", models.PositiveIntegerField(verbose_name="jumlah kuesioner")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="services.agency",
                        verbose_name="instansi",
                    ),
                ),
                (
                    "survey_import",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="shares",
                        to="services.surveyimport",
                    ),
                ),
            ],
            options={
                "verbose_name": "kuesioner impor per instansi",
                "verbose_name_plural": "kuesioner impor per instansi",
                "ordering": ["agency"],
            },
        ),
        migrations.AddField(
            model_name="surveyimport",
            name="agencies",
            field=models.ManyToManyField(
                related_name="survey_imports",
                through="services.SurveyImportAgency",
                to="services.agency",
                verbose_name="instansi",
            ),
        ),
        migrations.AddConstraint(
            model_name="surveyimportagency",
            constraint=models.UniqueConstraint(
                fields=("survey_import", "agency"), name="survey_import_agency_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="surveyimport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("rolled_back_at__isnull", True)),
                fields=("digest",),
                name="survey_import_digest_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="surveyimport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("duplicate_count", 0),
                    models.Q(("allow_duplicates", True), models.Q(("reason", ""), _negated=True)),
                    _connector="OR",
                ),
                name="survey_import_duplicates_have_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="surveyimport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("rolled_back_at__isnull", True),
                    models.Q(
                        models.Q(("rolled_back_by", ""), _negated=True),
                        models.Q(("rollback_reason", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="survey_import_rollback_recorded",
            ),
        ),
    ]
