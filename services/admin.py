"""The services app's admin, one module per concept; importing them registers their pages."""

from services.catalogue import admin as catalogue_admin  # noqa: F401
from services.performance import admin as performance_admin  # noqa: F401
from services.requests import admin as request_admin  # noqa: F401
from services.survey import admin as survey_admin  # noqa: F401
