"""SqlError: a statement PostgreSQL would reject, or mart serve refuses, with its SQLSTATE."""


class SqlError(Exception):
    """A statement PostgreSQL would reject, or mart serve refuses, with its SQLSTATE.

    position is PostgreSQL's: 1-based, in characters, into the whole query string.
    """

    def __init__(
        self,
        sqlstate: str,
        message: str,
        position: int | None = None,
        detail: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.message = message
        self.position = position
        self.detail = detail
        self.hint = hint


# DuckDB's errors that PostgreSQL reports under a SQLSTATE of their own: (message start, code,
# PostgreSQL's message or None to keep DuckDB's, without its "Invalid Input Error: ").
_REFINED = (
    ("Division by zero", "22012", "division by zero"),
    ("Could not parse string", "22007", None),
    (
        "Out of Range Error: Overflow in multiplication of INT128",
        "22003",
        "value out of range: mart serve computes exact numbers in 128 bits, "
        "PostgreSQL's numeric has no such bound",
    ),
    (
        "Python exception occurred while executing the UDF: PermissionError: mart serve: "
        "permission denied to ",
        "42501",
        None,
    ),
)
_DETAILS = {
    "42501": "Only roles with privileges of the role whose query is being canceled or with "
    'privileges of the "pg_signal_backend" role may cancel this query.'
}


def refined(code: str, message: str) -> SqlError | None:
    """A DuckDB error (its SQLSTATE by exception class, and its message) as the error
    PostgreSQL gives for the same failure, where the class alone does not tell; None if not.
    The rewrite's own refusals (error() in functions.sql: "... not supported by mart serve")
    are 0A000."""
    text = message.removeprefix("Invalid Input Error: ")
    for start, sqlstate, replacement in _REFINED:
        if text.startswith(start):
            if sqlstate == "42501":
                what = text.removeprefix(start)
                return SqlError(sqlstate, f"permission denied to {what}", detail=_DETAILS[sqlstate])
            return SqlError(sqlstate, replacement or text.split("\n", 1)[0])
    if code == "22023" and "is not supported by mart serve" in text:
        return SqlError("0A000", text.split("\n", 1)[0])
    return None
