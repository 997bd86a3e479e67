"""The accessibility check itself is tested: an unlabeled input must fail the scan."""

import pytest

from tests.e2e.conftest import axe_violations, scan

UNLABELED = (
    "<!doctype html><html lang='en'><head><title>Bad</title></head>"
    "<body><main><h1>Form</h1><input type='text'></main></body></html>"
)


def test_axe_reports_an_unlabeled_input(page):
    page.set_content(UNLABELED)
    assert "label" in {v["id"] for v in axe_violations(page)}
    with pytest.raises(AssertionError, match="label"):
        scan(page, "axe-self-test")
