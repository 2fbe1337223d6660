"""Check an `extract --format json` output: spans match the text, and something was found."""

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
if bad or not grounded or not named or run["model"] != "local/smollm2-135m" or run["usage"]["requests"] < 1:
    sys.exit("check failed: the bundled-model run broke the span invariant or found nothing")
