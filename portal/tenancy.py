"""The tenant scope's grantee ids as one database parameter.

django-scopes filters every tenant-owned query by `grantee__in=<the scope's ids>`. As a plain
list, a TA or state admin's 150–300 grantees become 150–300 query parameters in every query
(several per query when tables are joined): psycopg caches no query with more than 50
parameters, so each one is re-parsed and each id adapted on its own — about 10 ms a query at
scale 1. GranteeIds is still the list django-scopes expects, but Django resolves it into one
array parameter: `grantee_id IN (SELECT unnest(%s::bigint[]))`, the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db.models import BigIntegerField, Expression


class IdSet(Expression):
    """`(SELECT …)` of the given ids, as the right-hand side of an `__in` lookup."""

    output_field = BigIntegerField()

    def __init__(self, ids: Iterable[int]):
        super().__init__()
        self.ids = [int(pk) for pk in ids]

    def as_sql(self, compiler, connection):
        # SQLite (development and `make run`): a JSON array read by json_each.
        return "SELECT value FROM json_each(%s)", [json.dumps(self.ids)]

    def as_postgresql(self, compiler, connection):
        return "SELECT unnest(%s::bigint[])", [self.ids]


class GranteeIds(list):
    """A tenant scope's grantee ids: a list for django-scopes, one parameter for the database."""

    def resolve_expression(self, *args, **kwargs):
        return IdSet(self).resolve_expression(*args, **kwargs)
