"""The weight budget of the mobile app on a weak link: opening the report screen for the first
time (empty caches: the shell, every script and style, Leaflet, the icons, the categories and
the worker's grid, map tiles excluded) transfers at most 300 KB, compressed as sent."""

from __future__ import annotations

import pytest

from tests.support.mobile import log_in

pytestmark = pytest.mark.e2e

BUDGET = 300 * 1024


def test_first_load_of_the_report_screen_fits_the_budget(phone, shoot) -> None:
    page = phone
    transferred: list[tuple[str, int, str]] = []

    def count(request) -> None:
        sizes = request.sizes()
        response = request.response()
        encoding = response.headers.get("content-encoding", "") if response else ""
        transferred.append((request.url, sizes["responseBodySize"]
                            + sizes["responseHeadersSize"], encoding))

    page.on("requestfinished", count)
    log_in(page)
    page.click("a.tab-report")
    page.wait_for_selector("#place:has-text('网格')")
    page.wait_for_load_state("networkidle")
    total = sum(size for _, size, _ in transferred)
    report = "\n".join(f"{size:>8} {encoding or '-':>5} {url}"
                       for url, size, encoding in sorted(transferred, key=lambda t: -t[1]))
    print(f"first load of the report screen: {total} bytes in {len(transferred)} requests\n"
          f"{report}")
    assert total <= BUDGET, report
    # Text is compressed as sent (the budget would not hold on a real phone otherwise).
    leaflet = next(t for t in transferred if t[0].endswith("/leaflet.js"))
    assert leaflet[2] in {"br", "gzip", "zstd", "deflate"}
