"""What people read on a terminal, 80 and 160 columns wide (a real pseudo-terminal, its size
set as a terminal sets it): tables fit the width without breaking an id, lists go one item per
line, an article id has its headline beside it, a value cut short says how to see it whole;
`kg show` is a card grouped by predicate; piped, the same rows are stable tab-separated
columns."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

KG = [sys.executable, "-m", "kg"]
# All of Mark Esper's meetings, those only announced too: six rows, wide ones.
ESPER_MEETINGS = ["query", "meetings", "-p", "person=Esper", "-p", "modality=null"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def environment(data_dir: Path, columns: int | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["KG_DATA_DIR"] = str(data_dir)
    env.pop("COLUMNS", None)
    if columns:
        env |= {"COLUMNS": str(columns), "TERM": "xterm-256color"}
    return env


def on_terminal(data_dir: Path, columns: int, *args: str) -> tuple[list[str], str]:
    """Run kg with stdout on a pseudo-terminal `columns` wide: its lines (colours removed) and
    its stderr."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen(
        [*KG, *args], stdout=slave, stderr=subprocess.PIPE, env=environment(data_dir, columns)
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the terminal's last writer has gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.stderr is not None
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=120) == 0, stderr
    text = ANSI.sub("", b"".join(chunks).decode()).replace("\r\n", "\n")
    return [line.rstrip() for line in text.split("\n")], stderr


def piped(data_dir: Path, *args: str) -> str:
    result = subprocess.run(
        [*KG, *args], env=environment(data_dir), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def as_json(data_dir: Path, *args: str) -> list[dict]:
    return json.loads(piped(data_dir, *args, "--format", "json"))


def headline(article: str) -> str:
    meta = (SEEDS / "articles" / f"{article}.yaml").read_text(encoding="utf-8")
    match = re.search(r'^headline: "(.*)"$', meta, re.M)
    assert match
    return match[1]


def whole_words(lines: list[str]) -> set[str]:
    return {word for line in lines for word in line.replace("│", " ").split()}


@pytest.mark.parametrize("columns", [80, 160])
def test_a_wide_result_fits_and_keeps_ids_whole(loaded_store, columns: int) -> None:
    data = loaded_store.data_dir
    rows = as_json(data, *ESPER_MEETINGS)
    # 003: "des entretiens bilatéraux avec le président Kais Ssaied"
    assert "kais-saied" in {row["other"] for row in rows}
    lines, stderr = on_terminal(data, columns, *ESPER_MEETINGS)
    assert max(len(line) for line in lines) <= columns
    words = whole_words(lines)
    for row in rows:
        assert {row["person"], row["other"], row["event"], *row["articles"]} <= words
    assert len(lines) < 20 * len(rows)  # was 230 lines for these 6 rows at 80 columns
    # Lists one item per line: 004 holds the Moroccan leg "à Rabat".
    morocco = next(i for i, line in enumerate(lines) if re.fullmatch(r"places\s+Maroc", line))
    assert lines[morocco + 1].strip() == "Rabat"
    # An article id has its headline (cut to fit) beside it.
    at = next(i for i, line in enumerate(lines) if "003_23f9d90b709144ca" in line)
    assert headline("003_23f9d90b709144ca")[:20] in lines[at + 1]
    if columns == 80:  # quotes are cut there, and the note says where to see them whole
        assert any(line.endswith("…") for line in lines)
        assert "--format json shows them whole" in stderr


@pytest.mark.parametrize("columns", [80, 160])
def test_a_narrow_result_is_a_table_that_fits(loaded_store, columns: int) -> None:
    lines, _ = on_terminal(loaded_store.data_dir, columns, "query", "--list")
    assert any(line.startswith("┃ name") for line in lines)
    assert max(len(line) for line in lines) <= columns
    names = {row["name"] for row in as_json(loaded_store.data_dir, "query", "--list")}
    assert names <= whole_words(lines)
    timeline, _ = on_terminal(loaded_store.data_dir, 160, "query", "timeline")
    assert max(len(line) for line in timeline) <= 160
    assert {row["id"] for row in as_json(loaded_store.data_dir, "query", "timeline")} <= (
        whole_words(timeline)
    )


def test_piped_rows_are_stable_tab_separated_columns(loaded_store) -> None:
    data = loaded_store.data_dir
    text = piped(data, *ESPER_MEETINGS)
    assert text == piped(data, *ESPER_MEETINGS)
    header, *lines = text.splitlines()
    rows = as_json(data, *ESPER_MEETINGS)
    assert header.split("\t") == list(rows[0])
    assert len(lines) == len(rows)
    for line, row in zip(lines, rows, strict=True):
        cells = line.split("\t")
        assert len(cells) == len(row)
        assert cells[0] == row["person"] and json.loads(cells[-1]) == row["quotes"]


def test_show_is_a_card_grouped_by_predicate(loaded_store) -> None:
    data = loaded_store.data_dir
    lines, _ = on_terminal(data, 100, "show", "Esper")
    assert lines[0].startswith("Mark Esper  (Person, id mark-esper)")
    assert max(len(line) for line in lines) <= 100
    card = json.loads(piped(data, "show", "Esper", "--format", "json"))
    met = [f for f in card["facts"] if f["predicate"] == "met" and f["direction"] == "out"]
    assert sum(line.startswith("met → ") for line in lines) == 1  # one group per predicate
    assert f"met → ({len(met)})" in lines
    # 003: "L’agence a déclaré que [...] des entretiens bilatéraux avec le président Kais
    # Ssaied": AFP's words, so the fact is marked as a claim.
    saied = next(line for line in lines if line.startswith("  Kaïs Saïed (Person)"))
    assert "[claimed by afp]" in saied
    # Quotes wrap between words: every word of every quote is shown whole.
    words = whole_words(lines)
    for fact in card["facts"]:
        for source in fact["sources"]:
            inner = source["quote"].split()
            assert set(inner[1:-1]) <= words, source["quote"]
    # Each article is listed once with its headline, then cited by its number.
    assert any(
        "[003] 003_23f9d90b709144ca" in line and "Le chef du Pentagone" in line for line in lines
    )
