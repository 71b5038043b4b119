"""The self-evaluation report: its content (pure), charts, and exports (HTML, Word, CSV, PDF).

``model`` builds the report's sections from a department-year; ``charts`` draws the
figures in the house style; ``html``/``docx``/``export`` write them; ``runner`` and
``batch`` execute ``notebooks/report.ipynb`` for one or many departments.
"""
