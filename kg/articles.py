"""Register a new article in the seeds: its text byte for byte, its metadata, its checksum.

The id is `NNN_<first 16 hex digits of the text's SHA-256>`, NNN one past the highest
number in use. The five original ids took their hex part from where the articles were
collected; a registered article takes it from its own bytes, so the id tells its content.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from kg import vocab
from kg.errors import InvalidInput
from kg.files import PACKAGED, atomic_output
from kg.seeds import ARTICLES_DIR
from kg.text import find_quote
from kg.validate import CHECKSUMS


@dataclass
class RegisteredArticle:
    id: str
    text_path: Path
    meta_path: Path


def add_article(
    source: Path,
    seeds_dir: Path,
    *,
    headline: str | None = None,
    outlet: str | None = None,
    languages: list[str] | None = None,
    dates: list[str] | None = None,
) -> RegisteredArticle:
    """Copy `source` into seeds/articles with its metadata and checksum, all or nothing.

    `dates` are `VALUE=TEXT`: an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) and the words of
    the article that state it.
    """
    if seeds_dir.resolve().is_relative_to(PACKAGED):
        raise InvalidInput(
            f"{seeds_dir}: the seeds shipped with kg are read-only; run from a checkout "
            "(with ./seeds) or give --seeds DIR"
        )
    folder = seeds_dir / ARTICLES_DIR
    if not folder.is_dir():
        raise InvalidInput(f"{folder}: no articles directory")
    raw, text = _read_text(source)
    digest = hashlib.sha256(raw).hexdigest()
    sums_path = folder / CHECKSUMS
    sums = sums_path.read_text(encoding="utf-8") if sums_path.exists() else ""
    for path in sorted(folder.glob("*.txt")):
        if hashlib.sha256(path.read_bytes()).hexdigest() == digest:
            raise InvalidInput(f"{source}: already registered as article {path.stem}")
    if digest in sums:
        raise InvalidInput(f"{source}: already listed in {sums_path}")
    languages = languages or ["fr"]
    for code in languages:
        if code not in vocab.LANGUAGES:
            raise InvalidInput(f"--language {code!r}: one of {', '.join(vocab.LANGUAGES)}")
    date_records = [_parse_date(spec, text) for spec in dates or []]
    headline_line = _headline_line(text, headline) if headline else None

    numbers = [int(m.group(1)) for p in folder.iterdir() if (m := vocab.ARTICLE_ID.match(p.stem))]
    article_id = f"{max(numbers, default=-1) + 1:03d}_{digest[:16]}"
    text_path, meta_path = folder / f"{article_id}.txt", folder / f"{article_id}.yaml"
    meta = _metadata(headline, headline_line, outlet, languages, date_records)
    if sums and not sums.endswith("\n"):
        sums += "\n"
    sums += f"{digest}  {text_path.name}\n"

    written: list[Path] = []
    try:
        for path, data in (
            (text_path, raw),
            (meta_path, meta.encode()),
            (sums_path, sums.encode()),
        ):
            with atomic_output(path) as stream:
                stream.write(data)
            written.append(path)
    except BaseException:
        for path in written:  # SHA256SUMS is written last: on failure it is unchanged
            path.unlink()
        raise
    return RegisteredArticle(article_id, text_path, meta_path)


def _read_text(source: Path) -> tuple[bytes, str]:
    if source.suffix != ".txt":
        raise InvalidInput(f"{source}: an article is a .txt file")
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise InvalidInput(f"{source}: cannot read: {error.strerror}") from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{source}: not UTF-8 text (byte {error.start})") from error
    if not text.strip():
        raise InvalidInput(f"{source}: the article is empty")
    return raw, text


def _parse_date(spec: str, text: str) -> dict[str, str]:
    value, sep, words = spec.partition("=")
    if not sep or not vocab.is_date(value) or not words.strip():
        raise InvalidInput(f"--date {spec!r}: expected YYYY[-MM[-DD]]=words of the article")
    if find_quote(text, words) is None:
        raise InvalidInput(f"--date {spec!r}: {words!r} is not in the article")
    return {"value": value, "text": words}


def _headline_line(text: str, headline: str) -> int | None:
    """The line that is the headline, else the first that holds it; None if none does."""
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if line.strip() == headline.strip():
            return number
    return next((n for n, line in enumerate(lines, start=1) if headline in line), None)


def _metadata(
    headline: str | None,
    headline_line: int | None,
    outlet: str | None,
    languages: list[str],
    dates: list[dict[str, str]],
) -> str:
    """The metadata file, in the shape of the existing ones (seeds/README.md)."""

    def q(value: str | None) -> str:
        return "null" if value is None else json.dumps(value, ensure_ascii=False)

    lines = [
        "# Registered by `kg add-article`. Curate on: dates (about, inferred), boilerplate",
        "# lines, and the sentences no fact cites under `skipped:` (seeds/README.md).",
        f"headline: {q(headline)}",
    ]
    if headline_line is not None:
        lines.append(f"headline_line: {headline_line}")
    lines += [f"outlet: {q(outlet)}", f"languages: [{', '.join(languages)}]"]
    lines.append("dates:" if dates else "dates: []")
    for date in dates:
        lines += [f"  - value: {q(date['value'])}", f"    text: {q(date['text'])}"]
    # `skipped` comes last, so that its items can be appended to the file.
    lines += ["boilerplate: []", "skipped:"]
    return "\n".join(lines) + "\n"
