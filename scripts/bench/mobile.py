#!/usr/bin/env python
"""The grid workers' mobile app on a phone-sized headless Chromium against a running server
(scripts/quickstart; demo grid worker baonan.grid).

Prints, for each network profile, what the first opening of the report screen transfers
(empty caches: shell, scripts, styles, Leaflet, categories, the worker's grid) and how long
until the form can be used; the same with the app cached and no network at all; how long
the phone takes to shrink a 12-megapixel photo to 1 MB; and how long 20 reports made
offline take to reach the platform when the connection returns.
    .venv/bin/python scripts/bench/mobile.py [--base http://127.0.0.1:5000]
Reports made here are real cases of the demo county (titles start with 压测).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("GOVGRID_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
POINT = {"longitude": 122.7185, "latitude": 44.0139, "accuracy": 15}  # 保南村第1网格
# Chrome DevTools' presets (throughput in bytes per second, latency in ms, CPU slowdown: a
# cheap Android phone runs scripts about 4 times slower than this server's core).
PROFILES = {
    "unthrottled": None,
    "fast 3G (1.6 Mbit/s, 150 ms)": (1_600_000 / 8, 750_000 / 8, 150, 1),
    "slow 3G (400 kbit/s, 400 ms)": (400_000 / 8, 400_000 / 8, 400, 1),
    "EDGE (240 kbit/s, 840 ms)": (240_000 / 8, 200_000 / 8, 840, 1),
    "cheap phone: slow 3G, CPU / 4": (400_000 / 8, 400_000 / 8, 400, 4),
}
CHEAP_CPU = 4
READY = "#place:has-text('网格')"


def new_phone(browser, base: str):
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True,
        locale="zh-CN", base_url=base, geolocation=POINT, permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(120_000)
    return context, page


def slow_cpu(page, rate: float):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    return cdp


def throttle(page, profile) -> None:
    if profile is None:
        return
    down, up, latency, cpu = profile
    cdp = slow_cpu(page, cpu)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": latency, "downloadThroughput": down,
        "uploadThroughput": up})


def log_in(page) -> None:
    page.fill("input[name=username]", "baonan.grid")
    page.fill("input[name=password]", "govgrid2026")
    page.click("form.login button[type=submit]")
    page.wait_for_selector("#grid-map")


def offline_phone(browser, base: str):
    """A phone that has opened the app once online (cached) and then lost the network."""
    context, page = new_phone(browser, base)
    page.goto("/m/")
    log_in(page)
    page.click("a.tab-report")
    page.wait_for_selector(READY)
    page.wait_for_function("() => Boolean(navigator.serviceWorker?.controller)")
    context.set_offline(True)
    return context, page


def first_load(browser, base: str, profile) -> tuple[int, int, float]:
    """Bytes, requests, and seconds from typing the address to a usable report form (login
    included: an empty phone)."""
    context, page = new_phone(browser, base)
    sizes: list[int] = []
    page.on("requestfinished", lambda r: sizes.append(
        r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]))
    throttle(page, profile)
    started = time.perf_counter()
    page.goto("/m/#/report")
    log_in(page)
    page.click("a.tab-report")
    page.wait_for_selector(READY)
    elapsed = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(sizes), len(sizes), elapsed


def cached_offline_open(browser, base: str, runs: int = 5) -> list[float]:
    """Seconds from opening the app with no network to a usable report form."""
    context, page = offline_phone(browser, base)
    times = []
    for _ in range(runs):
        page.goto("about:blank")  # a real opening, not a hash change within the page
        started = time.perf_counter()
        page.goto("/m/#/report")
        page.wait_for_selector(READY)
        times.append(time.perf_counter() - started)
    context.close()
    return times


def photo_shrink(browser, base: str, cpu: float = 1, runs: int = 3) -> list[tuple[float, int]]:
    """(seconds, bytes) to shrink a 4000 x 3000 camera-like photo to at most 1 MB."""
    context, page = new_phone(browser, base)
    page.goto("/m/")
    page.wait_for_selector("form.login")
    slow_cpu(page, cpu)
    results = page.evaluate("""async (runs) => {
      const { compressPhoto } = await import('/static/mobile/photos.js');
      // A camera-like picture: smooth light with fine noise (JPEG from the canvas).
      const c = document.createElement('canvas'); c.width = 4000; c.height = 3000;
      const g = c.getContext('2d');
      const grad = g.createLinearGradient(0, 0, 4000, 3000);
      grad.addColorStop(0, '#6b8e23'); grad.addColorStop(0.5, '#d2b48c');
      grad.addColorStop(1, '#87ceeb');
      g.fillStyle = grad; g.fillRect(0, 0, 4000, 3000);
      const noise = g.getImageData(0, 0, 4000, 3000);
      for (let i = 0; i < noise.data.length; i += 4) {
        const n = (Math.random() - 0.5) * 40;
        noise.data[i] += n; noise.data[i + 1] += n; noise.data[i + 2] += n;
      }
      g.putImageData(noise, 0, 0);
      const original = await new Promise((ok) => c.toBlob(ok, 'image/jpeg', 0.95));
      const out = [];
      for (let r = 0; r < runs; r += 1) {
        const t0 = performance.now();
        const blob = await compressPhoto(new File([original], 'IMG.jpg', { type: 'image/jpeg' }));
        out.push([(performance.now() - t0) / 1000, blob.size, original.size]);
      }
      return out;
    }""", runs)
    context.close()
    return results


def offline_burst(browser, base: str, n: int = 20) -> float:
    """Seconds from the connection returning to n offline reports being on the platform."""
    context, page = offline_phone(browser, base)
    for i in range(n):
        page.goto("/m/#/report")
        page.wait_for_selector(READY)
        page.click("#category")
        page.fill(".overlay input[type=search]", "邻里")
        page.locator(".overlay button.category").first.click()
        page.fill("textarea[name=description]", f"压测离线上报 {i + 1}")
        page.click("form.report button[type=submit]")
        page.wait_for_selector(f"#local-reports li[data-status='pending'] >> nth={i}")
    started = time.perf_counter()
    context.set_offline(False)
    page.wait_for_selector("#local-reports li.empty", timeout=300_000)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:5000")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; server {args.base}")
    with sync_playwright() as p:
        browser = p.chromium.launch(headless=True, executable_path=CHROMIUM, args=ARGS)
        print("\nfirst opening of the report screen (empty phone, login included):")
        for name, profile in PROFILES.items():
            total, count, seconds = first_load(browser, args.base, profile)
            print(f"  {name:<32} {total / 1024:6.1f} KB in {count:2d} requests, "
                  f"usable after {seconds:5.2f} s")
        times = cached_offline_open(browser, args.base)
        print(f"\nopening with no network (app cached): median {statistics.median(times):.2f} s,"
              f" worst {max(times):.2f} s over {len(times)} opens")
        for cpu in (1, CHEAP_CPU):
            shrinks = photo_shrink(browser, args.base, cpu)
            print(f"\nshrinking a 4000x3000 photo ({shrinks[0][2] / 1e6:.1f} MB JPEG), "
                  f"CPU / {cpu}: "
                  + ", ".join(f"{s:.2f} s -> {b / 1e3:.0f} KB" for s, b, _ in shrinks))
        seconds = offline_burst(browser, args.base)
        print(f"\n20 offline reports sent after the connection returned: {seconds:.2f} s "
              f"({20 / seconds:.1f} reports/s)")
        browser.close()


if __name__ == "__main__":
    main()
