"""End to end: the notebooks run with papermill on the ingested sample."""

from __future__ import annotations

import json
from pathlib import Path

import papermill as pm

ROOT = Path(__file__).resolve().parents[1]


def _outputs(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    texts = []
    for cell in cells:
        for out in cell.get("outputs", []):
            texts.append("".join(out.get("text", "")))
            texts.append("".join(out.get("data", {}).get("text/plain", "")))
    return "\n".join(texts)


def test_explore_notebook_runs_on_the_sample(sample_processed: Path, tmp_path: Path) -> None:
    out = tmp_path / "explore.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks" / "explore.ipynb"), str(out),
                        parameters={"processed_dir": str(sample_processed), "dept": "115",
                                    "year": 2022},
                        cwd=str(ROOT / "notebooks"), progress_bar=False, kernel_name="python3")
    text = _outputs(out)
    for figure in ("2909.79", "1308.82", "967.08", "65.74%", "严重滞后", "6.56"):
        assert figure in text, figure
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    images = [o for c in cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 4  # projects, progress, 三公, years
    assert "Glyph" not in text and "missing from font" not in text


def test_notebooks_are_stored_without_outputs() -> None:
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        assert all(not c.get("outputs") and not c.get("execution_count")
                   for c in cells if c["cell_type"] == "code"), path
