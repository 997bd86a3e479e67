"""Scoped reads for the labor-market page, the dashboard and the regional-training preview."""

from __future__ import annotations

from django.db.models import QuerySet

from grantees.models import Grantee
from labor_market.models import PriorityOccupation


def priority_occupations(*, grantee: Grantee) -> QuerySet[PriorityOccupation]:
    return PriorityOccupation.objects.filter(grantee=grantee).select_related("occupation")
