"""Jobs run on a real RQ worker against the test Redis; the cron schedule loads."""

import pytest
from rq.cron import CronScheduler

from govgrid.extensions import redis_client
from govgrid.jobs.heartbeat import HEARTBEAT_KEY, heartbeat
from govgrid.jobs.queues import queue
from tests.support.workers import run_worker_burst


@pytest.fixture
def redis(app):
    with app.app_context():
        connection = redis_client.connection
        connection.flushdb()  # db 15 belongs to the tests alone
        yield connection
        connection.flushdb()


def test_heartbeat_runs_on_a_real_worker_and_shows_in_healthz(app, redis, client):
    with app.app_context():
        job = queue().enqueue(heartbeat)
    assert redis.get(HEARTBEAT_KEY) is None
    run_worker_burst(app.config["REDIS_URL"])
    job.refresh()
    assert job.is_finished
    assert redis.get(HEARTBEAT_KEY) is not None
    age = client.get("/healthz").json["redis"]["worker_heartbeat_age_s"]
    assert age is not None and age < 120


def test_cron_schedule_registers_the_heartbeat(redis):
    scheduler = CronScheduler(connection=redis)
    scheduler.load_config_from_file("govgrid.jobs.cron_config")
    names = [job.func_name for job in scheduler.get_jobs()]
    assert "govgrid.jobs.heartbeat.heartbeat" in names
