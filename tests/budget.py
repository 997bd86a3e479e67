"""Query budget: a page must run the same number of queries at 1× and 10× data, and ≤ 20.

Usage: assert_constant_queries(client, url, grow=lambda n: make_n_more_rows(n)). `grow(n)` is
called once with 1 (the 1× world) and once with 9 more (10×); the page is measured after each.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGE_QUERY_BUDGET = 20


def count_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(captured), [q["sql"] for q in captured.captured_queries]


def assert_constant_queries(
    client, url: str, grow: Callable[[int], None], budget: int = PAGE_QUERY_BUDGET
) -> int:
    client.get(url)  # warm caches that are not the page's own work (content types, sessions)
    grow(1)
    small, _ = count_queries(client, url)
    grow(9)
    large, queries = count_queries(client, url)
    listing = "\n".join(queries)
    assert small == large, f"{url}: {small} queries at 1× data but {large} at 10× (N+1?)\n{listing}"
    assert large <= budget, f"{url}: {large} queries, over the budget of {budget}\n{listing}"
    return large
