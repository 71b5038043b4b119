"""The committed sample is exactly what the committed generator writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_generator_reproduces_the_committed_sample(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample_data.py"),
                    "--out", str(out)], check=True, capture_output=True)
    generated, committed = _files(out), _files(ROOT / "data" / "raw")
    assert sorted(generated) == sorted(committed)
    differing = [name for name in generated if generated[name] != committed[name]]
    assert differing == []
