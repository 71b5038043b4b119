"""Ingest: raw ledger exports in, one validated and reconciled snapshot out.

The stages, in the order a file goes through them:

1. read — :mod:`~outturn.ingest.readers` (by format: :mod:`~outturn.ingest.textfiles`,
   :mod:`~outturn.ingest.workbooks`, Parquet) into the :mod:`~outturn.ingest.rawtable`
   every reader returns;
2. parse — :mod:`~outturn.ingest.fields` and :mod:`~outturn.ingest.parsing` turn cells into
   typed columns; :mod:`~outturn.ingest.totals` finds summary and blank rows;
3. normalise — :mod:`~outturn.ingest.normalise` maps a raw table onto the data model,
   keeping every row (:mod:`~outturn.ingest.rowproblems` records what was wrong);
4. validate — :mod:`~outturn.ingest.validate`, the row rules of each table;
5. crosscheck — :mod:`~outturn.ingest.crosscheck`, rules across tables, on everything
   :mod:`~outturn.ingest.collect` has read (with the profiles, :mod:`~outturn.ingest.profiles`);
6. reconcile — :mod:`~outturn.ingest.reconcile`, rows and 分 in = accepted + rejected;
7. publish — :mod:`~outturn.ingest.run` writes the snapshot atomically through
   :mod:`outturn.store.snapshot`.

Importing this package loads nothing; import the stage you need.
"""
