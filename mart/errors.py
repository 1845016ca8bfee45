"""The error a user sees as one line, and how a driver's error becomes that line.

Kept free of SQLAlchemy so that the command line can catch it without importing the stack.
"""


class MartError(Exception):
    """A user mistake or an unreachable database: printed as one line, never a traceback."""


def reason(error: BaseException) -> str:
    """The first line of what the database driver said, without SQLAlchemy's wrapping."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


def cannot_connect(shown: str, error: BaseException) -> MartError:
    return MartError(
        f"cannot connect to {shown}: {reason(error)} (check --db or MART_DATABASE_URL)"
    )
