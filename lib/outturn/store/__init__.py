"""The processed store: versioned snapshots (:mod:`~outturn.store.snapshot`), reading one
department-year (:mod:`~outturn.store.read`) and the :class:`~outturn.store.model.DeptYear`
model the metrics, scoring and report take (:mod:`~outturn.store.model`, no I/O, so
importing it does not load pyarrow).

Importing this package loads nothing; import the module you need.
"""
