"""Queryset helpers more than one app uses."""

from __future__ import annotations

from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_per_row(rows: QuerySet, *, key: str) -> Coalesce:
    """How many of `rows` belong to each outer row, as a correlated subquery.

    `rows` is filtered by the outer row (`key=OuterRef("pk")`). Annotating a paginated list this
    way counts only the listed rows; a join with GROUP BY counts the whole table before LIMIT.
    """
    counted = rows.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
