"""Batch runs: many documents into one SQLite store (`extractor batch`), resumably.

    sources.expand      inputs -> Items (a document, or the reason it could not be read)
    keys.result_key     (model, prompt version, options): what a stored result is reused for
    live.BatchRun       select what needs work -> extract concurrently -> store each outcome
    driver              one document: the sans-IO pipeline steps driven by an async answerer
    workers.WorkerPool  the same in several processes (worker.py: one of them), when the CPU
                        is the bottleneck; a dead worker costs only the documents in its hands
    remote              the OpenAI Batch API: submit the same questions, collect, validate
    progress            what the run shows while it runs (its cost: extractor.cost)

The store (extractor.store) is written by one process, one transaction per document, so a
run killed at any moment is carried on by the same command with nothing lost or doubled.
"""
