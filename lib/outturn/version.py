"""The version of outturn, in one place: printed by ``outturn --version``, written into
every snapshot manifest and into the report's skip hash."""

__version__ = "0.1.0"
