"""A run stopped while questions are out still counts what its unfinished documents spent
(issue 15): their requests are in the run's totals, though the documents are neither done nor
failed, and the next run does them."""

from __future__ import annotations

import json
import os
import signal
import threading

from tests.batch_helpers import cli, count, query, write_corpus
from tests.openai_standin import StandIn


def _stop_when_asked(server: StandIn, questions: int, finished: threading.Event) -> None:
    while len(server.chat_bodies) < questions:
        if finished.wait(0.02):
            return  # the run ended first: nothing to stop (the test then fails on its totals)
    os.kill(os.getpid(), signal.SIGTERM)  # the run's GracefulStop turns it into a clean stop


def test_requests_of_documents_in_flight_at_a_stop_are_in_the_run_totals(tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_TRANSPORT_RETRIES", "0")
    write_corpus(tmp_path / "in", 3)
    db = tmp_path / "r.sqlite"
    args = ["batch", tmp_path / "in", "--db", db, "--model", "stand-in", "--strategy", "full", "--concurrency", "2"]
    finished = threading.Event()
    with StandIn(latency=60) as server:  # no answer comes before the stop
        stopper = threading.Thread(target=_stop_when_asked, args=(server, 2, finished), daemon=True)
        stopper.start()
        try:
            result = cli(*args, "--base-url", server.base_url)
        finally:
            finished.set()
            stopper.join()
        asked = len(server.chat_bodies)
    assert result.exit_code == 130, result.output
    assert asked == 2  # --concurrency 2: two questions were out
    runs = json.loads(cli("runs", "--db", db, "--json").stdout)
    assert runs[0]["status"] == "interrupted" and runs[0]["requests"] == asked
    assert "2 requests" in result.stdout  # the closing summary counts them too
    assert count(db, "extractions") == count(db, "failures") == 0
    assert query(db, "SELECT DISTINCT outcome FROM attempts") == [("interrupted",)]

    with StandIn() as server:
        again = cli(*args, "--base-url", server.base_url)
    assert again.exit_code == 0 and "3 done" in again.stdout, again.output
