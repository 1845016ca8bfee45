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
