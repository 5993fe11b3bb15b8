"""Amending decrees: a decree may amend another one of its agency (Decree.amends); the versions
it sets point to it, so each is printed and signed with its own number, date and signatory."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("services", "0013_submission_digest")]

    operations = [
        migrations.AddField(
            model_name="decree",
            name="amends",
            field=models.ForeignKey(
                blank=True,
                help_text="Diisi bila ini keputusan perubahan: keputusan yang diubahnya.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="amendments",
                to="services.decree",
                verbose_name="mengubah keputusan",
            ),
        ),
        migrations.AlterField(
            model_name="standardversion",
            name="amendment",
            field=models.CharField(
                blank=True,
                help_text=(
                    "Catatan naskah perubahan atau ralat yang ditulis bebas (versi lama); "
                    "keputusan perubahan dicatat sebagai keputusan tersendiri pada kolom "
                    "keputusan."
                ),
                max_length=255,
                verbose_name="perubahan/ralat",
            ),
        ),
        migrations.AlterField(
            model_name="standardversion",
            name="decree",
            field=models.ForeignKey(
                help_text=(
                    "Keputusan yang menetapkan versi ini: keputusan yang memuat layanan, atau "
                    "keputusan perubahannya."
                ),
                on_delete=django.db.models.deletion.PROTECT,
                related_name="versions",
                to="services.decree",
                verbose_name="keputusan",
            ),
        ),
        migrations.AddConstraint(
            model_name="decree",
            constraint=models.CheckConstraint(
                condition=~models.Q(amends=models.F("pk")), name="decree_not_amending_itself"
            ),
        ),
    ]
