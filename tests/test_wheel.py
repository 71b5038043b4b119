"""outturn installs as a package: the built wheel runs ingest, report and batch on its own.

The wheel is built from the repository (no build isolation, so nothing is downloaded),
installed into a fresh virtual environment outside the repository, and the sample is
ingested and reported there, from a working directory that is not the repository. The
new environment borrows this one's third-party packages through a ``.pth`` path (the
dependencies are not what is under test) but not outturn: ``import outturn`` there must
find the installed wheel, and with it the rule sets, code tables, templates and the
report notebook shipped as package data.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


#: The borrowed dependencies' data files (nbconvert's base templates live in the
#: environment's share/jupyter, not in site-packages).
ENV = {**os.environ, "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}


def _run(args: list[str], cwd: Path) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=900, env=ENV)
    assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_the_installed_wheel_ingests_reports_and_batches_the_sample(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--quiet", "-w", str(dist), str(ROOT)], cwd=tmp_path)
    wheel = next(dist.glob("outturn-*.whl"))

    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=tmp_path).strip())
    # the third-party dependencies of this environment, without its editable outturn
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
          "--no-index", "--quiet", str(wheel)], cwd=tmp_path)

    work = tmp_path / "work"
    shutil.copytree(ROOT / "data" / "raw", work / "data" / "raw")
    where = _run([str(python), "-c", "import outturn, outturn.report.runner as r; "
                  "print(outturn.__file__); print(r.NOTEBOOK)"], cwd=work).split()
    assert all(Path(p).is_relative_to(site) for p in where), where

    outturn = str(env_dir / "bin" / "outturn")
    _run([outturn, "ingest"], cwd=work)
    _run([outturn, "report", "--dept", "115", "--year", "2022", "--no-pdf", "--date", "2023-03-31"],
         cwd=work)
    summary = json.loads((work / "outputs" / "2022" / "115" / "summary.json").read_text("utf-8"))
    assert summary["score"] == "93.00" and summary["grade"] == "优"
    out = _run([outturn, "batch", "--year", "2022", "--no-pdf", "--jobs", "2", "--date", "2023-03-31"],
               cwd=work)
    assert "失败 0" in out
    assert (work / "outputs" / "2022" / "index.html").is_file()
    assert len(list((work / "outputs" / "2022").glob("*/report.html"))) == 10
