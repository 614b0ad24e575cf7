"""The data model: frozen dataclasses, the status vocabulary and its rules. Pure: no files, no git, no click."""

from yytrack.model.entities import (  # noqa: F401  (the package is the model's one name)
    STATUS_LABELS, MEASURE_STATUS_LABELS, MEASURE_STATUSES, DIRECTION_SYMBOLS, ROLE_LABELS,
    Deadline, Observation, Indicator, Unit, Plan, Measure, Update, Review, MeasureState,
    chinese_number, status_key, measure_status
)
