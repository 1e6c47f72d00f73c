"""Build hook: the wheel carries copies of the curated seeds and the saved queries.

`seeds/` and `cypher/` at the top of the repository stay the source of truth; a build
copies them into the package as `kg/data/seeds` and `kg/data/cypher`, which `kg` reads
when the working directory has no `seeds/` or `cypher/` of its own. The sdist carries the
top-level folders (MANIFEST.in), so a wheel built from it carries them too.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("seeds", "cypher")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads them from the checkout
        for name in SHIPPED:
            target = Path(self.build_lib, "kg", "data", name)
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / name, target)


setup(cmdclass={"build_py": BuildWithData})
