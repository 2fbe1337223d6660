"""The attribution finder for languages with a lexicon file (extractor/finder/lexicons/):
quotations, then sentences, then cues with their speaker phrases, then speakers resolved.

Smaller than the English rules and with no learned tagger (that one is trained on English):
it finds the common patterns of news writing, direct quotations in the language's marks with
the cue before or after them, 'laut' / 'selon' / 'según' / 'по словам', 'zufolge', and 'dass'
/ 'que' / 'что' clauses. What differs between languages is data in the lexicon: a dropped
subject (Spanish), no articles and case endings (Russian: inflection.py reads them).
"""

from __future__ import annotations

from extractor.finder import MAX_CONTINUATION, Attribution, Finding, FoundSpeaker
from extractor.finder.local.cues import LocalRaw, after_cue, before_cue, find_cues, sentence_attributions
from extractor.finder.local.leads import sentence_leads
from extractor.finder.local.lexicon import Lexicon, load
from extractor.finder.local.mentions import read_forward
from extractor.finder.local.speakers import LocalResolver
from extractor.finder.local.text import Layout, content_end, layout, tokenize
from extractor.schema import Span


def local_assemble(text: str, language: str) -> Finding:
    lex = load(language)
    lay = layout(text, lex)
    per_sentence = [sentence_attributions(text, lay, sent, lex) for sent in lay.sentences]
    _colon_quotes(text, lay, per_sentence, lex)
    _announced(text, lay, per_sentence, lex)
    _previous_sentence(text, lay, per_sentence, lex)
    _carry_on(text, lay, per_sentence)
    _reported(text, lay, per_sentence, lex)
    _carry_on(text, lay, per_sentence)  # '…, sagte er. Die Lage sei ernst. „Wir handeln.“'
    raws = sorted((r for rs in per_sentence for r in rs), key=lambda r: r.parts[0][0])
    sources = [(r.source.start, r.source.end) for r in raws if r.source]
    surnames = frozenset(r.source.name.split()[-1] for r in raws if r.source and r.source.name)
    leads = [m for m in sentence_leads(text, lay, lex, surnames) if not any(s < m.end and m.start < e for s, e in sources)]
    names = [m.name for m in (*leads, *(r.source for r in raws if r.source)) if m.name]
    resolver = LocalResolver(text, names, lex)
    # one pass in text order: a lead is seen as a candidate, a source is resolved
    events = [(r.source.start, 1, i) for i, r in enumerate(raws) if r.source] + [(m.start, 0, j) for j, m in enumerate(leads)]
    keys: dict[int, str] = {}
    for _, is_source, i in sorted(events):
        if is_source:
            keys[i] = resolver.resolve(raws[i].source).key  # type: ignore[union-attr]
        else:
            resolver.resolve(leads[i])
    index = {id(r): i for i, r in enumerate(raws)}
    for i, r in enumerate(raws):  # in text order: what a raw follows has its key already
        if r.follows is not None and index[id(r.follows)] in keys:
            keys[i] = keys[index[id(r.follows)]]
    attributions = []
    for i, r in enumerate(raws):
        last = max(e for _, e in r.parts)
        key = keys.get(i)
        attributions.append(
            Attribution(
                content=Span.at(text, r.parts[0][0], last),
                parts=tuple(Span.at(text, s, e) for s, e in r.parts),
                cue=Span.at(text, *r.cue) if r.cue else None,
                source=Span.at(text, r.source.start, r.source.end) if r.source and not r.source.implicit else None,
                speaker_key=key,
                kind="direct" if r.kind == "direct" else "indirect",
                sentence=Span.at(text, min(r.sentence[0], r.parts[0][0]), max(r.sentence[1], last)),
                speaker_keys=(key,) if key else (),
            )
        )
    used = set(keys.values())
    speakers = tuple(
        FoundSpeaker(
            key=s.key,
            name=s.name,
            role=s.role,
            affiliation=None,
            kind=s.kind,  # type: ignore[arg-type]
            mentions=tuple(Span.at(text, a, b) for a, b in sorted(set(s.mentions))),
        )
        for s in resolver.speakers
        if s.key in used
    )
    return Finding(attributions=tuple(attributions), speakers=speakers)


_MAX_COLON_LEAD = 12  # tokens from a sentence's speaker to its colon


def _colon_quotes(text: str, lay: Layout, per_sentence: list[list[LocalRaw]], lex: Lexicon) -> None:
    """'Baumgartner gibt sich zuversichtlich: «…»', 'Elle a une certitude : « … »': a sentence
    that opens with a speaker, has no cue, and ends in a quotation after a colon."""
    for i, (start, end) in enumerate(lay.sentences):
        if per_sentence[i]:
            continue
        toks = tokenize(text, start, end)
        colon = next((k for k, t in enumerate(toks[:_MAX_COLON_LEAD]) if t.text == ":"), None)
        if colon is None or colon + 1 >= len(toks):
            continue
        quote = lay.quote_at(toks[colon + 1].start)
        if quote is None or text[quote[1] : end].strip() not in ("", ".", "!", "?"):
            continue
        k = 0
        while k < colon and toks[k].low in lex.adverbs:
            k += 1
        if toks[k].low in lex.prepositions:
            continue  # 'Von Subventionen … halte er aber nichts: »…«' is reported speech (_reported)
        source = read_forward(toks, k, lex)
        if source is not None and not source.oblique and (source.name or source.pronoun or source.definite):
            per_sentence[i].append(LocalRaw([quote], None, source, "direct", (start, end)))


def _announced(text: str, lay: Layout, per_sentence: list[list[LocalRaw]], lex: Lexicon) -> None:
    """'Elle a confié son épuisement. « Deux ans qu'on attend … »': a cue with its speaker and
    no content, and a quotation alone in the next sentence of the paragraph, is what was said."""
    sentences = lay.sentences
    for i in range(len(sentences) - 1):
        if per_sentence[i] or per_sentence[i + 1] or "\n" in text[sentences[i][1] : sentences[i + 1][0]]:
            continue
        quote = lay.quote_at(sentences[i + 1][0])
        if quote is None or quote[1] < content_end(text, *sentences[i + 1]):
            continue
        toks = tokenize(text, *sentences[i])
        for cue in find_cues(toks, lex):
            if cue.kind != "verb" or lay.inside_quote(toks[cue.first].start):
                continue
            source = cue.pronoun or before_cue(toks, cue.first, lex)
            if source is not None and not source.oblique:
                cue_span = (toks[cue.first].start, toks[cue.last].end)
                per_sentence[i + 1].append(LocalRaw([quote], cue_span, source, "direct", sentences[i + 1]))
                break


def _previous_sentence(text: str, lay: Layout, per_sentence: list[list[LocalRaw]], lex: Lexicon) -> None:
    """'Власти ввели режим ЧС. Об этом сообщил губернатор края Михаил Зорин.': the sentence
    before, in the same paragraph and attributed to no one yet, is what the cue points back to."""
    sentences = lay.sentences
    for i in range(1, len(sentences)):
        if per_sentence[i] or per_sentence[i - 1] or "\n" in text[sentences[i - 1][1] : sentences[i][0]]:
            continue
        toks = tokenize(text, *sentences[i])
        n = next((len(p) for p in lex.previous_sentence if [t.low for t in toks[: len(p)]] == list(p)), 0)
        if not n or n >= len(toks) or toks[n].low not in lex.verbs or lay.quote_at(sentences[i - 1][0]):
            continue
        source = after_cue(toks, n + 1, lex)
        if source is not None:
            before = sentences[i - 1]
            cue = (toks[0].start, toks[n].end)
            per_sentence[i].append(LocalRaw([(before[0], content_end(text, *before))], cue, source, "indirect", sentences[i]))


def _carry_on(text: str, lay: Layout, per_sentence: list[list[LocalRaw]]) -> None:
    """'„A“, sagte sie. „B.“': a quote-only sentence after an attribution goes on with it."""
    sentences = lay.sentences
    for i, raws in enumerate(per_sentence):
        if not raws:
            continue
        last = max(raws, key=lambda r: r.parts[-1][1])
        j = i + 1
        while j < len(sentences) and j - i <= MAX_CONTINUATION and not per_sentence[j]:
            quote = lay.quote_at(sentences[j][0])
            if quote is None or quote[1] < content_end(text, *sentences[j]) or quote[0] < last.parts[-1][1]:
                break
            if last.kind == "direct":
                last.parts.append(quote)
            else:  # 'Es gebe …, sagte er. „Qualität braucht Routine.“': a quotation of the same speaker
                last = LocalRaw([quote], None, None, "direct", sentences[j], last)
                per_sentence[j].append(last)
            j += 1


def _reported(text: str, lay: Layout, per_sentence: list[list[LocalRaw]], lex: Lexicon) -> None:
    """'…, sagte Albers. Die Lage sei weiterhin angespannt.': a sentence in the reported mood
    right after an attribution, in the same paragraph and with no cue or quotation of its own,
    is more of what the same speaker said."""
    if not lex.reported_mood:
        return
    sentences = lay.sentences
    for i in range(len(sentences) - 1):
        if not per_sentence[i] or per_sentence[i + 1]:
            continue
        antecedent = max(per_sentence[i], key=lambda r: r.parts[-1][1])
        j = i + 1
        while j < len(sentences) and not per_sentence[j] and "\n" not in text[sentences[j - 1][1] : sentences[j][0]]:
            start, end = sentences[j]
            words = {t.low for t in tokenize(text, start, end)}
            quotes = [q for q in lay.quotes if start <= q[0] < end]
            if not words & lex.reported_mood or (quotes and quotes[0][0] == start):
                break  # no reported mood, or a quotation of its own: 'Die Ministerin habe „…“ vorgelegt' is reported
            colon = text.rfind(":", start, quotes[-1][0]) if quotes else -1
            if colon >= 0 and not text[colon + 1 : quotes[-1][0]].strip() and not text[quotes[-1][1] : end].strip(" .!?"):
                # 'Von Subventionen … halte er aber nichts: »Wir können …«': reported, then quoted
                raw = LocalRaw([(start, colon)], None, None, "indirect", (start, end), antecedent)
                per_sentence[j].append(raw)
                raw = LocalRaw([quotes[-1]], None, None, "direct", (start, end), raw)
            else:
                raw = LocalRaw([(start, content_end(text, start, end))], None, None, "indirect", (start, end), antecedent)
            per_sentence[j].append(raw)
            antecedent = raw
            j += 1
