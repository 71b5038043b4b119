"""outturn: public-sector expenditure performance analysis from budget and payment ledgers."""

__version__ = "0.1.0"
