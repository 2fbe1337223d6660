"""All attributions of an article: sentence by sentence, then quotations that carry on.

A direct quote often goes on after its cue in quote-only sentences or paragraphs
('"A," he said. "B."'); those belong to the same attribution (PolNeAR guidelines, "content
continuations"), as long as no cue of their own claims them.
"""

from __future__ import annotations

from bisect import bisect_right

from extractor.finder import MAX_CONTINUATION
from extractor.finder.cues import Raw, content_end, lead_in, sentence_attributions
from extractor.finder.learned import learned_attributions
from extractor.finder.phrases import phrase_attributions
from extractor.finder.signed import signed_attributions
from extractor.finder.text import Layout, layout
from extractor.finder.transcript import transcript_attributions


def _quote_only(text: str, lay: Layout, sent: tuple[int, int]) -> bool:
    q = lay.quote_at(sent[0])
    return q is not None and q.end >= content_end(text, sent[0], sent[1])


def raw_attributions(text: str) -> list[Raw]:
    """The rules' attributions, then the learned tagger's in text the rules left alone."""
    lay = layout(text)
    raws = rule_attributions(text, lay)
    learned = learned_attributions(text, lay, raws)
    if not learned:
        return raws
    # each learned one goes before the first rule attribution after it; the rules keep their order
    merged: list[Raw] = []
    pending = sorted(learned, key=lambda r: r.parts[0][0])
    for r in raws:
        while pending and pending[0].parts[0][0] < r.parts[0][0]:
            merged.append(pending.pop(0))
        merged.append(r)
    return merged + pending


def rule_attributions(text: str, lay: Layout) -> list[Raw]:
    per_sentence: list[list[Raw]] = []
    for sent in lay.sentences:
        raws = phrase_attributions(text, sent)
        taken = [p for r in raws for p in (*r.parts, r.cue, *([r.source] if r.source else []))]
        raws += sentence_attributions(text, lay, sent, taken)
        raws.sort(key=lambda r: r.parts[0][0])
        per_sentence.append(raws)

    sentences = lay.sentences
    for i in range(len(sentences) - 1):
        if not per_sentence[i] and not per_sentence[i + 1]:
            found = lead_in(text, sentences[i], sentences[i + 1])
            if found is not None:  # kept with its content's sentence, where quotations carry on from
                per_sentence[i + 1].append(found)
    starts = [s for s, _ in sentences]
    for raw in [*signed_attributions(text, lay), *transcript_attributions(text, lay)]:
        i = max(0, bisect_right(starts, raw.parts[0][0]) - 1)
        if not per_sentence[i]:  # a paragraph the other rules found nothing in
            per_sentence[i].append(raw)
    for i, raws in enumerate(per_sentence):
        if not raws:
            continue
        last = max(raws, key=lambda r: r.parts[-1][1])
        # only a quotation can go on in the next sentences
        if last.kind != "direct" and text[last.parts[-1][1] - 1] not in "\"”'":
            continue
        j = i + 1
        while j < len(sentences) and j - i <= MAX_CONTINUATION:
            if per_sentence[j] or not _quote_only(text, lay, sentences[j]):
                break
            last.parts.append((sentences[j][0], sentences[j][1]))
            j += 1
    return [r for raws in per_sentence for r in raws]
