"""A CJK font for matplotlib, found and registered explicitly.

Matplotlib's default fonts (DejaVu) have no Chinese glyphs, and its font cache is built
once: a font installed after that is invisible to it until the cache is rebuilt. So the
font file is located here and added to the running font manager with
``fontManager.addfont``, and charts name it by the family name the file itself declares.

Where the font comes from, first match wins:

1. ``OUTTURN_CJK_FONT`` — a path to a font file (``.otf``/``.ttf``/``.ttc``). When set, it
   must exist: a wrong path is an error, not a silent fallback.
2. The ``mplfonts`` package (a declared dependency) ships Noto Sans CJK SC under the SIL
   Open Font License. It also ships ``SimHei.ttf``, which is not openly licensed and is
   deliberately not used.
3. Debian/Ubuntu ``fonts-noto-cjk`` (the font Chromium uses for the HTML/PDF report).
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path

from matplotlib import font_manager

from outturn.problems import OutturnError

#: Environment variable naming a font file that overrides the search.
ENV_VAR = "OUTTURN_CJK_FONT"

#: The open-licence (OFL) font file inside the ``mplfonts`` package.
MPLFONTS_FONT = Path("fonts") / "NotoSansCJKsc-Regular.otf"

#: Where Debian/Ubuntu's ``fonts-noto-cjk`` (and its older layouts) put Noto Sans CJK.
SYSTEM_FONT_PATHS: tuple[Path, ...] = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
)

_HOW_TO_FIX = (
    "Install outturn's dependencies (scripts/setup.sh; they include mplfonts, which ships "
    f"Noto Sans CJK SC), or set {ENV_VAR} to the path of a CJK font file (.otf/.ttf/.ttc)."
)

# Registered font files → family name. Keyed by path so that a changed OUTTURN_CJK_FONT
# takes effect and a repeat call costs one stat and a dict look-up.
_registered: dict[Path, str] = {}
_lock = threading.Lock()


class FontNotFoundError(OutturnError, RuntimeError):
    """No usable CJK font: charts would render Chinese as empty boxes."""


def _mplfonts_font() -> Path | None:
    """The Noto Sans CJK SC file shipped by ``mplfonts``, located without importing it.

    Importing ``mplfonts`` pulls in extra modules; only its data file is needed.
    """
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / MPLFONTS_FONT
        if candidate.is_file():
            return candidate
    return None


def cjk_font_path() -> Path:
    """The CJK font file charts use: ``OUTTURN_CJK_FONT``, else mplfonts' Noto, else the system's.

    Raises :class:`FontNotFoundError` when ``OUTTURN_CJK_FONT`` names a missing file or no
    source has a font; the message says how to fix it.
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise FontNotFoundError(
                f"{ENV_VAR} is set to {override!r}, which is not a font file. "
                f"Point {ENV_VAR} at an existing CJK font file, or unset it to use the "
                "Noto Sans CJK SC font that outturn installs (scripts/setup.sh)."
            )
        return path
    packaged = _mplfonts_font()
    if packaged is not None:
        return packaged
    for candidate in SYSTEM_FONT_PATHS:
        if candidate.is_file():
            return candidate
    raise FontNotFoundError(f"No CJK font found for the charts. {_HOW_TO_FIX}")


def _put_first(manager: font_manager.FontManager, added_from: int) -> None:
    """Move the entries ``addfont`` just appended to the front of the font list.

    ``findfont`` keeps the first of equally good matches, and a font cache built after
    ``fonts-noto-cjk`` was installed already lists the system's file under the same family
    name (Noto Sans CJK SC); without this the charts would draw with whichever file the
    machine's cache happens to hold, not the one :func:`cjk_font_path` chose.
    """
    added = manager.ttflist[added_from:]
    del manager.ttflist[added_from:]
    manager.ttflist[:0] = added
    manager._findfont_cached.cache_clear()


def register_cjk_font() -> str:
    """Register the CJK font with matplotlib and return its family name (e.g. ``Noto Sans CJK SC``).

    Idempotent: the file is added to the font manager once per process, later calls return
    the cached name. Use the returned name in ``font.family``/``font.sans-serif``.
    """
    path = cjk_font_path()
    name = _registered.get(path)
    if name is not None:
        return name
    with _lock:
        name = _registered.get(path)
        if name is None:
            try:
                manager = font_manager.fontManager
                before = len(manager.ttflist)
                manager.addfont(str(path))
                name = font_manager.FontProperties(fname=str(path)).get_name()
                _put_first(manager, before)
            except (OSError, RuntimeError, ValueError) as exc:
                raise FontNotFoundError(
                    f"{path} could not be read as a font ({exc}). {_HOW_TO_FIX}"
                ) from exc
            _registered[path] = name
    return name
