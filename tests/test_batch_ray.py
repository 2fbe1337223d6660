"""`extractor batch --engine ray` on a local Ray cluster (it starts offline): the same stored
results as the local engine, every document stored once, a rerun that asks nothing, and a
killed worker that loses no document."""

from __future__ import annotations

import logging

import pytest

ray = pytest.importorskip("ray")

from extractor.batch.live import BatchRun  # noqa: E402
from extractor.batch.ray_pool import RayPool  # noqa: E402
from tests.batch_helpers import cli, count, exported, without_seconds, write_corpus  # noqa: E402
from tests.openai_standin import StandIn  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def cluster():
    """One local cluster for the module (its start-up takes seconds); the engine joins a
    running cluster and leaves it running."""
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture
def standin(monkeypatch):
    monkeypatch.setenv("EXTRACTOR_TRANSPORT_RETRIES", "1")
    monkeypatch.setenv("EXTRACTOR_BACKOFF_SECONDS", "0")
    with StandIn(latency=0.05) as server:
        yield server


def _model(server) -> tuple[str, ...]:
    return ("--model", "stand-in", "--base-url", server.base_url, "--strategy", "full")


def test_two_workers_store_every_document_once_and_a_rerun_asks_nothing(tmp_path, standin):
    write_corpus(tmp_path / "in", 200)
    db = tmp_path / "r.sqlite"
    first = cli("batch", tmp_path / "in", "--db", db, *_model(standin), "--engine", "ray", "--workers", "2", "--concurrency", "32")
    assert first.exit_code == 0, first.output
    assert count(db, "extractions") == 200 and count(db, "documents") == 200 and count(db, "failures") == 0
    asked = len(standin.chat_requests)
    assert asked == 200  # one passage each
    again = cli("batch", tmp_path / "in", "--db", db, *_model(standin), "--engine", "ray", "--workers", "2")
    assert again.exit_code == 0 and "200 unchanged" in again.stdout
    assert len(standin.chat_requests) == asked


def test_the_ray_engine_stores_what_the_local_engine_stores(tmp_path, standin):
    write_corpus(tmp_path / "in", 12)
    local, clustered = tmp_path / "local.sqlite", tmp_path / "ray.sqlite"
    assert cli("batch", tmp_path / "in", "--db", local, *_model(standin)).exit_code == 0
    assert cli("batch", tmp_path / "in", "--db", clustered, *_model(standin), "--engine", "ray").exit_code == 0
    assert [without_seconds(r) for r in exported(clustered)] == [without_seconds(r) for r in exported(local)]


def test_rules_only_runs_on_the_cluster(tmp_path):
    write_corpus(tmp_path / "in", 30)
    db = tmp_path / "r.sqlite"
    result = cli("batch", tmp_path / "in", "--db", db, "--model", "none", "--engine", "ray", "--workers", "2")
    assert result.exit_code == 0 and count(db, "extractions") == 30


def test_a_killed_worker_loses_no_document(tmp_path, standin, monkeypatch):
    pools, recorded = [], []
    start, record = RayPool.__init__, BatchRun.record

    def keep(self, *args, **kwargs):
        start(self, *args, **kwargs)
        pools.append(self)

    def record_then_kill(self, item, outcome):
        record(self, item, outcome)
        recorded.append(item.subject)
        if len(recorded) == 10:  # mid-run: the first worker is killed with documents in hand
            ray.kill(pools[0].actors[0], no_restart=False)

    monkeypatch.setattr(RayPool, "__init__", keep)
    monkeypatch.setattr(BatchRun, "record", record_then_kill)
    write_corpus(tmp_path / "in", 60)
    db = tmp_path / "r.sqlite"
    result = cli("batch", tmp_path / "in", "--db", db, *_model(standin), "--engine", "ray", "--workers", "2", "--concurrency", "16")
    assert result.exit_code == 0, result.output
    assert count(db, "extractions") == 60 and count(db, "failures") == 0
    assert len(recorded) == 60 == len(set(recorded))  # each stored once, none lost


def test_a_cluster_that_cannot_be_joined_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(ray, "is_initialized", lambda: False)

    def refuse(**kwargs):
        raise ConnectionError(f"Could not find any running Ray instance at {kwargs.get('address')}")

    monkeypatch.setattr(ray, "init", refuse)
    write_corpus(tmp_path / "in", 2)
    result = cli("batch", tmp_path / "in", "--db", tmp_path / "r.sqlite", "--model", "none", "--engine", "ray",
                 "--ray-address", "ray://127.0.0.1:1")
    assert result.exit_code == 2
    assert "ray://127.0.0.1:1" in result.stderr and "--ray-address" in result.stderr and "Traceback" not in result.output
