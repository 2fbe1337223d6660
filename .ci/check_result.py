"""Check an `extract --format json` output: spans match the text, and something was found.

The default configuration (the bundled model, `narrow` strategy) asks the model nothing: the
finder's spans and the trained layers' judgements stand, so the check is that they ran (every
grounded claim judged for check-worthiness, stances with their confidence), not a request count."""

import json
import sys

data = json.load(open(sys.argv[1], encoding="utf-8"))
text = data["document"]["text"]
spans = [m for s in data["speakers"] for m in s["mentions"]]
spans += [c[k] for c in data["claims"] for k in ("evidence", "cue", "speaker_mention") if c.get(k)]
bad = [s for s in spans if text[s["start"] : s["end"]] != s["text"]]
grounded = [c for c in data["claims"] if c.get("evidence")]
named = [s for s in data["speakers"] if s["name"] in text]
run = data["run"]
print(
    f"seed article: {len(data['speakers'])} speakers, {len(grounded)} grounded claims, "
    f"{len(spans)} spans checked, {len(bad)} broken; model {run['model']}, "
    f"{run['usage']['requests']} requests, {run['usage']['prompt_tokens']}+{run['usage']['completion_tokens']} tokens, "
    f"{run['dropped_unaligned']} dropped, {run['seconds']} s"
)
judged = [c for c in grounded if c.get("check_worthiness") is not None]
stances = [s for s in data["stances"] if s["confidence"] is not None and 0 <= s["confidence"] <= 1]
print(f"{len(judged)} claims judged for check-worthiness, {len(stances)} stances with a confidence; strategy {run['strategy']}")
if bad or not grounded or not named or run["model"] != "local/smollm2-135m" or run["strategy"] != "narrow":
    sys.exit("check failed: the bundled-model run broke the span invariant or found nothing")
if len(judged) < len(grounded) // 2 or not stances or len(stances) != len(data["stances"]):
    sys.exit("check failed: the trained layers did not judge the seed article")
