"""SessionState without a socket: transactions, savepoints, settings and the timeout ceiling."""

import pytest

from mart.serve.sql import SqlError, translate
from mart.serve.state import FAILED, IDLE, IN_TRANSACTION, SessionState


def _run(state: SessionState, text: str) -> object:
    statement = translate(text)[0]
    state.may_run(statement)
    if statement.kind == "transaction":
        return state.transaction(statement)
    return state.set(statement)


def test_a_block_fails_until_rollback_and_savepoints_unwind() -> None:
    state = SessionState()
    assert _run(state, "begin") == ("BEGIN", False) and state.status == IN_TRANSACTION
    assert _run(state, "savepoint a") == ("SAVEPOINT", False)
    assert _run(state, "savepoint b") == ("SAVEPOINT", False)
    state.failed()
    assert state.status == FAILED
    with pytest.raises(SqlError) as aborted:
        _run(state, "set application_name = 'x'")
    assert aborted.value.sqlstate == "25P02"
    assert _run(state, "rollback to savepoint a") == ("ROLLBACK", False)
    assert state.status == IN_TRANSACTION and state.savepoints == ["a"]
    with pytest.raises(SqlError) as unknown:
        _run(state, "release savepoint b")
    assert (unknown.value.sqlstate, unknown.value.message) == (
        "3B001",
        'savepoint "b" does not exist',
    )
    state.failed()
    assert _run(state, "commit") == ("ROLLBACK", True)  # a failed block commits nothing
    assert state.status == IDLE and state.savepoints == []
    with pytest.raises(SqlError) as outside:
        _run(state, "savepoint c")
    assert outside.value.sqlstate == "25P01"


def test_settings_report_reset_and_discard() -> None:
    state = SessionState()
    state.started("dashboard")
    assert ("application_name", "dashboard") in state.reported()
    assert _run(state, "set application_name = 'other'") == ("application_name", "other")
    assert _run(state, "set search_path = public") is None  # not reported by PostgreSQL
    assert _run(state, "reset application_name") == ("application_name", "dashboard")
    _run(state, "set search_path = pg_catalog, public")
    _run(state, "reset all")
    assert state.settings["search_path"] == '"$user", public'


def test_statement_timeout_is_a_ceiling() -> None:
    state = SessionState(ceiling_ms=5000)
    assert state.settings["statement_timeout"] == "5s" and state.timeout_ms == 5000
    for value in ("'1h'", "5001", "-1"):
        with pytest.raises(SqlError) as refused:
            _run(state, f"set statement_timeout = {value}")
        assert refused.value.sqlstate == "22023"
    _run(state, "set statement_timeout = '1500ms'")
    assert (state.settings["statement_timeout"], state.timeout_ms) == ("1500ms", 1500)
    _run(state, "reset statement_timeout")
    assert (state.settings["statement_timeout"], state.timeout_ms) == ("5s", 5000)
    _run(state, "set statement_timeout = '1500ms'")
    _run(state, "set statement_timeout = 0")  # pg_dump's: the server's limit holds, and shows
    assert (state.settings["statement_timeout"], state.timeout_ms) == ("5s", 5000)
    free = SessionState()
    _run(free, "set statement_timeout = '1h'")
    assert (free.settings["statement_timeout"], free.timeout_ms) == ("1h", 3_600_000)
    with pytest.raises(SqlError) as invalid:
        _run(free, "set statement_timeout = 'soon'")
    assert invalid.value.message == 'invalid value for parameter "statement_timeout": "soon"'


def test_settings_postgresql_lacks_are_refused_and_its_own_kept() -> None:
    state = SessionState()
    for text in ("set memory_limit = '100GB'", "set threads to 64", "reset threads"):
        with pytest.raises(SqlError) as unknown:
            _run(state, text)
        name = text.split()[1]
        assert (unknown.value.sqlstate, unknown.value.message) == (
            "42704",
            f'unrecognized configuration parameter "{name}"',
        )
    assert "memory_limit" not in state.settings and "threads" not in state.settings
    assert _run(state, "set DateStyle = 'ISO, DMY'") == ("DateStyle", "ISO, DMY")
    _run(state, "set work_mem = '64MB'")
    _run(state, "set myapp.tenant = 'x'")
    assert state.settings["work_mem"] == "64MB" and state.settings["myapp.tenant"] == "x"
    with pytest.raises(SqlError) as at_start_up:
        SessionState().started(None, {"threads": "4"})
    assert at_start_up.value.sqlstate == "42704"
