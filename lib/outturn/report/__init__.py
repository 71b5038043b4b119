"""The self-evaluation report: its content (pure), charts, and exports (HTML, Word, CSV, PDF).

``model`` builds the report's sections from a department-year; ``charts`` draws the
figures in the house style; ``html``/``docx``/``export`` write them; ``runner`` and
``batch`` execute ``notebooks/report.ipynb`` for one or many departments.
"""

import sys

# nbformat validates notebooks with jsonschema, and importing jsonschema imports
# ``rfc3987_syntax`` when it is installed (Jupyter's server asks for it) to offer the
# JSON-Schema ``iri`` format: that import builds a grammar and costs about 0.9 s in every
# process that reads or writes a notebook (measured here), which is a third of a report.
# No notebook schema uses the ``iri`` format, so report processes go without it: jsonschema
# treats the module as absent (its import is guarded) and checks everything else as before.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
