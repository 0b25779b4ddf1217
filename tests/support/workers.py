"""A real RQ worker for tests: `rq worker --burst` in a subprocess runs what is queued in
the tests' Redis (every queue, in the production order) against the tests' database (both
reach it through the environment that tests/conftest.py sets), then exits."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence

from govgrid.jobs.queues import ALL


def _command(redis_url: str, queues: Sequence[str]) -> list[str]:
    rq = os.path.join(os.path.dirname(sys.executable), "rq")
    return [rq, "worker", "--burst", "--url", redis_url, *queues]


def _env(redis_url: str, extra: dict[str, str] | None) -> dict[str, str]:
    return {**os.environ, "GOVGRID_REDIS_URL": redis_url, **(extra or {})}


def run_worker_burst(redis_url: str, timeout: float = 300, queues: Sequence[str] = ALL,
                     env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(_command(redis_url, queues), env=_env(redis_url, env),
                               capture_output=True, text=True, timeout=timeout)
    assert completed.returncode == 0, completed.stderr
    return completed


def start_worker_burst(redis_url: str, queues: Sequence[str] = ALL,
                       env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """The same in the background (the test watches a page meanwhile)."""
    return subprocess.Popen(_command(redis_url, queues), env=_env(redis_url, env),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
