"""The home map and the API docs in a real headless Chromium, against a live server.

Nothing may be fetched from another host: deployments run on intranets with no internet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Township paths drawn on the map, counted from the Leaflet map itself.
COUNT_LEVEL = """level => {
  let n = 0;
  window.govgridMap.eachLayer(layer => { if (layer.feature?.properties.level === level) n++; });
  return n;
}"""


def _screen_point(page, lon: float, lat: float) -> tuple[float, float]:
    """Page coordinates of a longitude/latitude on the map."""
    point = page.evaluate(
        "([lat, lon]) => window.govgridMap.latLngToContainerPoint([lat, lon])", [lat, lon]
    )
    box = page.locator("#map").bounding_box()
    assert 0 < point["x"] < box["width"] and 0 < point["y"] < box["height"], point
    return box["x"] + point["x"], box["y"] + point["y"]


def _hover(page, x: float, y: float) -> None:
    # Canvas paths detect hover on mousemove, so arrive in two steps.
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)


def test_home_map(page, page_log, demo_county, login_as) -> None:
    townships = [u for u in demo_county.units if u.level == "township"]
    villages = [u for u in demo_county.units if u.level == "village"]
    county = demo_county.units[0]

    login_as(page, "county.staff")
    page.wait_for_selector("body[data-map-ready='1']")

    # Chinese by default.
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "网格化治理平台" in page.locator(".topbar").inner_text()
    assert page.title().startswith(county.name)
    assert county.name in page.locator(".panel-county h1").inner_text()

    # All 21 townships drawn, with their names as labels at the county view.
    assert len(townships) == 21
    assert page.evaluate(COUNT_LEVEL, "township") == 21
    assert page.locator("body").get_attribute("data-townships") == "21"
    assert page.locator(".township-label").count() == 21

    # Hovering a township shows its name in the tooltip and its details in the side panel.
    township = townships[3]
    point = township.boundary.representative_point()
    _hover(page, *_screen_point(page, point.x, point.y))
    page.wait_for_selector(".leaflet-tooltip")
    assert page.locator(".leaflet-tooltip").inner_text() == township.name
    assert page.locator("#unit-info [data-field='name']").inner_text() == township.name
    assert page.locator("#unit-info [data-field='code']").inner_text() == township.code
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"))

    # Zoomed in on a village: villages and grid cells for the view are loaded.
    village = villages[len(villages) // 2]
    point = village.boundary.representative_point()
    page.evaluate(
        "([lat, lon]) => { window.govgridMap.setView([lat, lon], 13, {animate: false}); }",
        [point.y, point.x],
    )
    page.wait_for_function("Number(document.body.dataset.cells) > 0")
    page.wait_for_function("Number(document.body.dataset.villages) > 0")
    assert page.evaluate(COUNT_LEVEL, "village") > 0
    assert any("/api/v1/grid-cells?" in url and "bbox=" in url for url in page_log.requests)
    # The pointer on the village's point is now over one of its grid cells.
    _hover(page, *_screen_point(page, point.x, point.y))
    page.wait_for_function(
        "code => document.querySelector(\"#unit-info [data-field='code']\").textContent"
        ".startsWith(code)",
        arg=village.code,
    )
    assert page.locator(".township-label").count() == 0
    page.screenshot(path=str(ARTIFACTS / "home-zoomed.png"))

    assert page_log.foreign_requests() == []
    assert page_log.errors == []


def test_api_docs_use_vendored_swagger_ui(page, page_log) -> None:
    page.goto("/api/docs")
    title = page.wait_for_selector(".swagger-ui .info .title")
    assert "GovGrid API" in title.inner_text()
    page.wait_for_selector(".opblock-tag")  # the operations rendered from openapi.json

    assert any(url.endswith("/static/vendor/swagger-ui/swagger-ui-bundle.js")
               for url in page_log.requests)
    assert page_log.foreign_requests() == []
    assert page_log.errors == []
