"""Rows moved out of an accepted table into its rejected rows, each with its reason.

Nothing is dropped: a row a check refuses leaves ``collected.tables`` for
``collected.rejected`` with its amounts (as 元 text and exact 分), its provenance and why,
so the reconciliation still accounts for every row and every 分 of its file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from outturn.schema import TABLES

if TYPE_CHECKING:
    from outturn.ingest.collect import Collected


def concat_rejected(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack rejected-row frames, skipping empty ones (an empty frame if all are)."""
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def reject_rows(collected: Collected, name: str, mask: np.ndarray, reasons: pd.Series) -> None:
    """Move rows of a typed table to its rejected table, with their reasons."""
    frame = collected.tables[name]
    moved = frame[mask].copy()
    table = TABLES[name]
    out = pd.DataFrame(index=moved.index)
    for f in table.fields:
        if f.name in moved.columns:
            if f.kind == "money":
                out[f.name] = (moved[f.name] / 100).map("{:.2f}".format).astype("str")
                out[f"{f.name}_fen"] = moved[f.name].astype("Int64")
            else:
                out[f.name] = moved[f.name].astype("str")
    for c in ("_file", "_sheet", "_row"):
        out[c] = moved[c]
    out["_reason"] = reasons[mask].to_numpy()
    collected.rejected[name] = concat_rejected([collected.rejected[name],
                                                 out.reset_index(drop=True)])
    collected.tables[name] = frame[~mask].reset_index(drop=True)
