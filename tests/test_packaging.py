"""Once installed, `kg` works from any directory: the wheel carries the curated seeds and the
saved queries, and `kg` says which seeds it read.

The wheel is built from an sdist (so both carry them) by `python -m build`, with the build
backend pyproject.toml names, installed without dependencies into a fresh virtual environment
that sees this one's packages (no download of kg's own dependencies), and run from an empty
directory with a private data directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse

ROOT = Path(__file__).resolve().parent.parent


def run(
    *args: str | Path, cwd: Path | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(python of a fresh venv where only the wheel provides `kg`, the wheel)."""
    work = tmp_path_factory.mktemp("package")
    # The sdist first, then the wheel from the unpacked sdist: what an index would serve.
    run(sys.executable, "-m", "build", "--outdir", work / "dist", ROOT)
    (sdist,) = (work / "dist").glob("kg-*.tar.gz")
    (wheel,) = (work / "dist").glob("kg-*.whl")
    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(run(python, "-c", purelib).stdout.strip())
    # This environment's packages, as dependencies; not its .pth files (the editable kg).
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site, wheel)
    return python, wheel


def test_the_wheel_carries_the_seeds_and_saved_queries(installed: tuple[Path, Path]) -> None:
    """Every file of seeds/ and cypher/, byte for byte, and nothing else under kg/data."""
    wheel = zipfile.ZipFile(installed[1])
    shipped = {name for name in wheel.namelist() if name.startswith("kg/data/")}
    sources = [p for p in [*ROOT.glob("seeds/**/*"), *ROOT.glob("cypher/*")] if p.is_file()]
    assert shipped == {f"kg/data/{p.relative_to(ROOT)}" for p in sources}
    for source in sources:
        assert wheel.read(f"kg/data/{source.relative_to(ROOT)}") == source.read_bytes()


def test_kg_works_from_an_empty_directory(installed: tuple[Path, Path], tmp_path: Path) -> None:
    python = installed[0]
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**os.environ, "KG_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": ""}
    env.pop("NEO4J_URI", None)

    def kg(*args: str) -> subprocess.CompletedProcess:
        return run(python, "-m", "kg", *args, cwd=empty, env=env)

    where = run(python, "-c", "import kg; print(kg.__file__)", cwd=empty, env=env).stdout
    assert where.startswith(str(python.parent.parent)), where
    validated = kg("validate").stderr
    assert "kg/data/seeds" in validated, validated  # it says which seeds it read
    kg("load")
    # Article 000: "une rencontre co-présidée par le ministre des Affaires étrangères, Nasser
    # Bourita, et le secrétaire d’Etat américain, Mike Pompeo".
    chairs = json.loads(kg("query", "chairs", "--format", "json").stdout)
    assert {row["name"] for row in chairs} == {"Nasser Bourita", "Mike Pompeo"}
    turtle = kg("export", "--format", "ttl").stdout.encode("utf-8")
    subjects = {quad.subject.value for quad in parse(turtle, format=RdfFormat.TURTLE)}
    assert "https://w3id.org/kg-us-morocco/entity/mike-pompeo" in subjects
    article = tmp_path / "article.txt"
    article.write_text("Un texte.\n", encoding="utf-8")
    refused = subprocess.run(
        [python, "-m", "kg", "add-article", article], cwd=empty, env=env, capture_output=True
    )
    assert refused.returncode == 2
    assert b"the seeds shipped with kg are read-only" in refused.stderr
    assert list(empty.iterdir()) == []
