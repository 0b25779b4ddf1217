"""A real RQ worker for tests: `rq worker --burst` in a subprocess runs what is queued in
the tests' Redis against the tests' database (both reach it through the environment that
tests/conftest.py sets), then exits."""

from __future__ import annotations

import os
import subprocess
import sys

from govgrid.jobs.queues import DEFAULT


def run_worker_burst(redis_url: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GOVGRID_REDIS_URL": redis_url}
    rq = os.path.join(os.path.dirname(sys.executable), "rq")
    completed = subprocess.run([rq, "worker", "--burst", "--url", redis_url, DEFAULT],
                               env=env, capture_output=True, text=True, timeout=timeout)
    assert completed.returncode == 0, completed.stderr
    return completed
