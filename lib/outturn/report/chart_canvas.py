"""The canvas :func:`outturn.report.charts.to_png` draws on: Agg, with its fonts read from memory.

Matplotlib caches one ``FT2Font`` per font file, but FreeType reads that file through a
Python file object: every glyph it loads (to measure a label, then to draw it) is a
``seek`` and a ``read`` of the file, and the 16 MB Noto Sans CJK OTF was read about
13,700 times — some 100 MB of ``read()`` calls — for each report's five charts. Here the
renderer's fonts are opened once per process on a read-only memory map of each file, so
FreeType reads pages already mapped instead of making a system call per glyph. The
glyphs, and so the pixels, are the same; ``tests/test_chart_canvas.py`` compares them
with those of matplotlib's own canvas. Its PNG is written by :mod:`outturn.report.png`
(one filter, deflate level 3: half the time Pillow takes, the same pixels).

Only this canvas uses the mapped fonts: a figure a notebook shows, or saves as PDF (whose
writer reads a font's file name, which a mapped font has not), keeps matplotlib's. Where
matplotlib lacks what this relies on (FT2Font's fallback list and face index, 3.11+),
the canvas is matplotlib's Agg canvas unchanged.
"""

from __future__ import annotations

import mmap
import os
import threading
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib import cbook, font_manager, ft2font
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

from outturn.report import png

#: Whether this matplotlib builds fonts as the mapped ones are built (3.11: font paths
#: with a face index, a fallback list and the Last Resort font).
SUPPORTED = (hasattr(font_manager, "FontPath") and hasattr(RendererAgg, "_prepare_font")
             and hasattr(ft2font.FT2Font, "_set_transform"))

# file path → its memory map; font chain key → FT2Font. Both live as long as the process
# (FT2Font objects must not cross a fork: the font cache is emptied in a forked child).
_maps: dict[str, mmap.mmap] = {}
_fonts: dict[tuple[Any, ...], ft2font.FT2Font] = {}
_lock = threading.Lock()


def _mapped(path: str) -> mmap.mmap:
    """A read-only memory map of a font file, made once per process."""
    found = _maps.get(path)
    if found is None:
        with open(path, "rb") as fh:
            found = _maps[path] = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    return found


def _resolved(paths: Sequence[Any]) -> tuple[tuple[str, int], ...]:
    """Font paths as ``font_manager.get_font`` resolves them: (real path, face index)."""
    return tuple((font_manager._cached_realpath(p.path), p.face_index)
                 if isinstance(p, font_manager.FontPath) else (font_manager._cached_realpath(p), 0)
                 for p in paths)


def _chain(resolved: tuple[tuple[str, int], ...], kerning: int, last_resort: bool) -> ft2font.FT2Font:
    """The font of ``resolved`` (first font, then its fallbacks) as matplotlib's
    ``_get_font`` builds it, each face read from a memory map."""
    def face(path: str, index: int, **kwargs: Any) -> ft2font.FT2Font:
        return ft2font.FT2Font(_mapped(path), face_index=index, _kerning_factor=kerning, **kwargs)

    (first, first_index), *rest = resolved
    fallback = [face(path, index) for path, index in rest]
    resort = font_manager._cached_realpath(cbook._get_data_path("fonts", "ttf", "LastResortHE-Regular.ttf"))
    try:
        resort_at = resolved.index((resort, 0))
    except ValueError:
        resort_at = -1
        if last_resort:
            fallback.append(face(resort, 0, _warn_if_used=True))
            resort_at = len(fallback)
    font = face(first, first_index, _fallback_list=fallback)
    if resort_at == 0:
        font.set_charmap(0)
    elif resort_at > 0:
        fallback[resort_at - 1].set_charmap(0)
    return font


def mapped_font(paths: Sequence[Any]) -> ft2font.FT2Font:
    """The memory-mapped font of ``paths`` (as ``font_manager.get_font`` gives it), once per
    process and thread, its transform reset as ``get_font`` resets it."""
    resolved = _resolved(paths)
    kerning, last_resort = mpl.rcParams["text.kerning_factor"], mpl.rcParams["font.enable_last_resort"]
    key = (resolved, kerning, last_resort, threading.get_ident())
    font = _fonts.get(key)
    if font is None:
        with _lock:
            font = _fonts.get(key)
            if font is None:
                font = _fonts[key] = _chain(resolved, kerning, last_resort)
    font._set_transform([[0x10000, 0], [0, 0x10000]], [0, 0])
    return font


class MappedFontRenderer(RendererAgg):
    """Agg's renderer, its text measured and drawn with the memory-mapped fonts."""

    def _prepare_font(self, font_prop: font_manager.FontProperties) -> ft2font.FT2Font:
        font = mapped_font(font_manager.fontManager._find_fonts_by_props(font_prop))
        font.clear()
        font.set_size(font_prop.get_size_in_points(), self.dpi)
        return font


class MappedFontCanvas(FigureCanvasAgg):
    """Agg's canvas with :class:`MappedFontRenderer` (matplotlib's renderer otherwise),
    its PNG written by :func:`outturn.report.png.encode` when nothing asks for metadata
    or Pillow options (``to_png`` asks for none)."""

    def print_png(self, filename_or_obj: Any, *, metadata: dict[str, Any] | None = None,
                  pil_kwargs: dict[str, Any] | None = None, **_applied: Any) -> None:
        # _applied: what savefig passes a canvas not of matplotlib's own (dpi, facecolor,
        # orientation …); savefig has already set them on the figure, as Agg expects
        if pil_kwargs or any(value is not None for value in (metadata or {}).values()):
            return super().print_png(filename_or_obj, metadata=metadata, pil_kwargs=pil_kwargs)
        FigureCanvasAgg.draw(self)
        data = png.encode(np.asarray(self.buffer_rgba()), self.figure.dpi)
        with cbook.open_file_cm(filename_or_obj, "wb") as fh:
            fh.write(data)

    def get_renderer(self) -> RendererAgg:
        renderer = super().get_renderer()
        if SUPPORTED and type(renderer) is RendererAgg:
            renderer.__class__ = MappedFontRenderer  # same object, only _prepare_font differs
        return renderer


if hasattr(os, "register_at_fork"):  # FreeType objects cannot cross a fork
    os.register_at_fork(after_in_child=_fonts.clear)
