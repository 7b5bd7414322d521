"""Every page of the book loads without errors and without contacting another host."""

from __future__ import annotations

import pytest
from cahier_helpers import ALL_PAGES


@pytest.mark.parametrize("name", ALL_PAGES)
def test_page_is_self_contained(page, url, guard, name):
    response = page.goto(url(name), wait_until="networkidle")
    assert response is not None and response.ok, f"{name}: HTTP {response and response.status}"
    assert guard.requests, "no request recorded"
    assert guard.foreign_requests() == []
    assert guard.page_errors == []
    if page.locator(".cahier-box").count():
        page.locator("#cahier-script[data-cahier-ready]").wait_for(state="attached", timeout=5000)
