"""mart: a SQL data mart of company facts reported in the news."""

__version__ = "0.1.0"
