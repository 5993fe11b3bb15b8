"""Indexes for a large portal (docs/performance.md, "Indexes"): measured with scripts/benchmark_data.py.

- PostgreSQL only: `search_vector`, a stored generated column with exactly the vector that
  services.catalogue.search._postgres_search searches and ranks (name weight A, search_document
  weight B, configuration 'indonesian'), kept inline (STORAGE MAIN) and indexed with GIN.
  It is not a model field: the ORM never writes it and PostgreSQL keeps it current. A later
  migration that changes the type of `name` or `search_document` must drop it first and add it
  again afterwards (PostgreSQL refuses to alter a column a generated column depends on).
- The staff request list: one agency ordered by due_at then -pk, and its "service" and
  "assignee" filters (distinct values for the agency, read from the index alone).
"""

from django.db import migrations, models

SEARCH_VECTOR = (
    "setweight(to_tsvector('indonesian'::regconfig, COALESCE(\"name\", '')), 'A') || "
    "setweight(to_tsvector('indonesian'::regconfig, COALESCE(\"search_document\", '')), 'B')"
)


def add_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE services_servicestandard "
        f"ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({SEARCH_VECTOR}) STORED, "
        "ALTER COLUMN search_vector SET STORAGE MAIN"
    )
    schema_editor.execute(
        "CREATE INDEX service_search_vector ON services_servicestandard USING gin (search_vector)"
    )


def remove_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE services_servicestandard DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0002_requests"),
    ]

    operations = [
        migrations.RunPython(add_search_vector, remove_search_vector, elidable=False),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(fields=["agency", "due_at", "-id"], name="request_agency_due"),
        ),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(
                fields=["agency", "standard", "assignee"], name="request_agency_filters"
            ),
        ),
    ]
