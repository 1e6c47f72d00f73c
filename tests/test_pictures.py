"""Pictures that answer questions: `kg viz` sizes and captions what matters, marks the entity
asked about, never cuts a caption inside a word, fades what did not simply happen or is
someone's claim, and explores hops breadth first under a cap; `kg timeline` draws what the
articles date, one lane per article, as a small page that opens offline (screenshot in
headless Chromium, as tests/test_viz.py does)."""

from __future__ import annotations

import base64
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kg import viz, vocab
from tests.test_viz import BROWSER_TIMEOUT, browser, page_data, png_pixels, rgb

SVG = "{http://www.w3.org/2000/svg}"


def draw(run_kg, tmp_path: Path, *args: str) -> dict:
    page = tmp_path / "page.html"
    result = run_kg("viz", *args, "-o", str(page))
    assert result.exit_code == 0, result.output
    return page_data(page)


def sizes(data: dict) -> dict[str, float]:
    return {node["id"]: node["size"] for node in data["nodes"]}


def test_the_whole_graph_enlarges_its_best_connected_nodes(run_kg, tmp_path: Path) -> None:
    data = draw(run_kg, tmp_path)
    degree: dict[str, int] = {}
    for rel in data["relationships"]:
        for end in (rel["from"], rel["to"]):
            degree[end] = degree.get(end, 0) + 1
    large = {node for node, size in sizes(data).items() if size > viz.sizes(90)["other"]}
    assert len(large) == viz.CAPTIONED
    smallest_large = min(degree[n] for n in large)
    assert all(degree.get(n, 0) <= smallest_large for n in sizes(data) if n not in large)
    # Bourita co-chairs the dialogue (000, 001) and meets Esper (004) and Blinken (002); Esper
    # tours the Maghreb (003, 004): both are hubs of the graph.
    assert {"nasser-bourita", "mark-esper", "morocco"} <= large


def test_the_entity_asked_about_is_the_largest_node(run_kg, tmp_path: Path) -> None:
    data = draw(run_kg, tmp_path, "--entity", "Esper")
    drawn = sizes(data)
    assert max(drawn, key=drawn.get) == "mark-esper"
    assert sorted(drawn.values())[-2] < drawn["mark-esper"]
    # 003: "après avoir conclu des voyages en Tunisie et en Algérie": a neighbour, enlarged.
    assert drawn["tunisia"] > viz.sizes(len(drawn))["other"]


def test_captions_are_whole_words_of_a_name(run_kg, tmp_path: Path) -> None:
    data = draw(run_kg, tmp_path, "--mentions")
    for node in data["nodes"]:
        props = node["properties"]
        caption = node["caption"]
        words = caption.removesuffix("…").split()
        names = [n for n in [props.get("name", node["id"]), *props.get("aliases", [])] if n]
        assert any(
            " ".join(words) in name and re.search(rf"(^|\s){re.escape(words[0])}(\s|$)", name)
            for name in names
        ), (caption, names)
        if len(words) > 1:  # more than one word: it fits the node's two short lines
            assert len(caption) <= viz.CAPTION_LINES * (viz.CAPTION_WIDTH + 1)
    captions = {node["id"]: node["caption"] for node in data["nodes"]}
    assert captions["mark-esper"] == "Mark Esper"
    assert "sessi" not in captions["strategic-dialogue-session-4"].replace("session", "")


def test_planned_and_claimed_facts_are_faded(run_kg, tmp_path: Path) -> None:
    data = draw(run_kg, tmp_path, "--entity", "Esper")
    by_ends = {(r["from"], r["to"], r["properties"]["predicate"]): r for r in data["relationships"]}
    # 003: "L’agence a déclaré que le secrétaire à la Défense ouvrirait sa tournée [...] pour
    # tenir «des entretiens bilatéraux avec le président Kais Ssaied»": AFP's words, future.
    saied = by_ends[("mark-esper", "kais-saied", "met")]
    assert saied["color"].lower() == viz.FADED.lower()
    assert "claimed" in saied["caption"] and saied["properties"]["stated_by"] == "afp"
    # 003: "Le secrétaire américain à la Défense, Mark Esper": the article's own voice.
    office = by_ends[("mark-esper", "pentagon", "holds_position")]
    assert office["color"].lower() == viz.PLAIN.lower() and office["caption"] == "HOLDS_POSITION"


def test_many_hops_are_quick_and_capped(run_kg, tmp_path: Path, monkeypatch) -> None:
    started = time.monotonic()
    far = draw(run_kg, tmp_path, "--entity", "Esper", "--hops", "10")
    assert time.monotonic() - started < 30
    assert {"mark-esper", "nasser-bourita", "antony-blinken"} <= set(sizes(far))
    monkeypatch.setattr(viz, "NODE_CAP", 5)
    page = tmp_path / "capped.html"
    result = run_kg("viz", "--entity", "Esper", "--hops", "10", "-o", str(page))
    assert result.exit_code == 0, result.output
    assert "--hops stopped at 5 nodes" in result.stderr
    assert len(page_data(page)["nodes"]) == 5


# --- kg timeline -----------------------------------------------------------------------------


@pytest.fixture
def timeline_page(run_kg, tmp_path: Path) -> Path:
    page = tmp_path / "timeline.html"
    result = run_kg("timeline", "-o", str(page))
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"wrote .+ \(\d+ dated facts, \d+ undated events\)\n", result.stderr)
    return page


def svg_of(page: Path) -> ET.Element:
    text = page.read_text(encoding="utf-8")
    return ET.fromstring(text[text.index("<svg") : text.index("</svg>") + 6])


def marks(svg: ET.Element) -> dict[str, list[tuple[float, float, str]]]:
    """Each label's text, with the (x, y, fill) of the mark drawn under it."""
    found: dict[str, list[tuple[float, float, str]]] = {}
    for group in svg.iter(f"{SVG}g"):
        shape = group.find(f"{SVG}circle")
        if shape is None:
            shape = group.find(f"{SVG}rect[@height='8']")
        label = group.find(f"{SVG}text")
        if shape is None or label is None:
            continue
        x = float(shape.get("cx") or shape.get("x"))
        y = float(shape.get("cy") or shape.get("y"))
        found.setdefault(label.text or "", []).append((x, y, shape.get("fill") or ""))
    return found


def test_the_timeline_is_a_small_page_that_opens_offline(timeline_page: Path) -> None:
    html = timeline_page.read_text(encoding="utf-8")
    assert len(html.encode()) < 100_000  # the graph page (neo4j-viz) is about 4.5 MB
    assert not re.search(r"""(src|href)=["']?https?:""", html)
    assert "<script" not in html


def test_the_timeline_places_the_tour_and_the_meeting(timeline_page: Path) -> None:
    svg = svg_of(timeline_page)
    found = marks(svg)
    years = {
        t.text: float(t.get("x"))
        for t in svg.iter(f"{SVG}text")
        if re.fullmatch(r"\d{4}", t.text or "")
    }
    assert {"2020", "2022"} <= set(years)

    # 004: "Comme en Tunisie mercredi 30 septembre"; 003: "se rendra ensuite en Algérie jeudi",
    # "devrait se rendre vendredi au Maroc": the three legs in order, within 2020.
    def mark(name: str) -> tuple[str, tuple[float, float, str]]:
        label = next(label for label in found if label.startswith(name))
        return label, min(found[label])

    tunisia, algeria, morocco = (
        mark(f"Visite de Mark Esper {where}") for where in ("en Tunisie", "en Algérie", "au Maroc")
    )
    assert years["2020"] < tunisia[1][0] < algeria[1][0] < morocco[1][0] < years["2022"]
    # 003: "Le chef du Pentagone se rendra ensuite en Algérie jeudi": announced, so drawn hollow
    # and labelled with its modality.
    assert algeria[0].endswith("(planned)") and algeria[1][2] == "#ffffff"
    # 002: the coalition meeting in Marrakech "en mai", 2022.
    meeting = "Réunion de la Coalition internationale contre Daech à Marrakech"
    assert any(x > years["2022"] for x, _, _ in found[next(k for k in found if meeting in k)])
    # 000 gives the 4th session of the dialogue only a weekday ("mardi"): listed undated.
    text = ET.tostring(svg, encoding="unicode")
    assert "undated:" in text and "4e session du Dialogue stratégique" in text
    # Hovering a mark shows its quote.
    assert "«Comme en Tunisie mercredi 30 septembre" in text


def test_the_timeline_draws_in_a_browser(timeline_page: Path, tmp_path: Path) -> None:
    colours = {t: rgb(vocab.ENTITY_TYPES[t].colour) for t in ("Event", "Agreement", "Organization")}
    whole_page = {"x": 0, "y": 0, "width": 1400, "height": 800, "scale": 0.5}
    with browser() as chrome:
        chrome.open(timeline_page.as_uri())
        deadline = time.monotonic() + BROWSER_TIMEOUT
        while time.monotonic() < deadline and "complete" != chrome.send(
            "Runtime.evaluate", expression="document.readyState", returnByValue=True
        )["result"].get("value"):
            time.sleep(0.2)
        while True:
            shot = base64.b64decode(
                chrome.send(
                    "Page.captureScreenshot",
                    format="png",
                    clip=whole_page,
                    captureBeyondViewport=True,
                )["data"]
            )
            pixels = png_pixels(shot)
            missing = [t for t, colour in colours.items() if pixels[colour] < 20]
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        dom = chrome.send(
            "Runtime.evaluate", expression="document.body.innerText", returnByValue=True
        )["result"]["value"]
    (tmp_path / "timeline.png").write_bytes(shot)
    assert not missing, f"no mark of type {missing} (see {tmp_path / 'timeline.png'})"
    assert "Tournée de Mark Esper au Maghreb" in dom and "2022" in dom
