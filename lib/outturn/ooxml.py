"""Office Open XML packages (Word ``.docx``, Excel ``.xlsx``) that are the same bytes for
the same content.

python-docx and openpyxl date every zip entry with the clock (and openpyxl stamps the
workbook's created and modified times with it too), so two writes of one report would
differ, a rebuilt report would look changed, and two ways of building it (a process pool,
a Dask cluster) could never be compared byte for byte. The writers set the document's own
dates from the report; :func:`restamp` dates every entry with the same moment.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime


def restamp(data: bytes, stamp: datetime) -> bytes:
    """The same package with every entry dated ``stamp`` (deflated, mode 0600).

    >>> one = restamp(_package(), datetime(2023, 3, 31))
    >>> one == restamp(_package(), datetime(2023, 3, 31))
    True
    """
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info))
    return out.getvalue()


def _package() -> bytes:
    """A one-entry zip dated now (for the doctest)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("a.xml", "<a/>")
    return out.getvalue()
