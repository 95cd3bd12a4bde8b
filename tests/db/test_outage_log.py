"""Outage reports: one line when it starts, reminders at a falling rate, no tracebacks."""

from __future__ import annotations

import logging
import sys
import time

import psycopg
import pytest
from procrastinate.exceptions import ConnectorException

from anime_studio.db.outage import OutageLog, OutageTracebacks, is_outage


def _refused() -> psycopg.OperationalError:
    return psycopg.OperationalError('connection failed: socket "/x/.s.PGSQL.5432"\n\tIs the server running?')


def test_wrapped_connection_errors_are_outages_and_query_errors_are_not() -> None:
    try:
        try:
            raise _refused()
        except psycopg.OperationalError as error:
            raise ConnectorException() from error
    except ConnectorException as wrapped:
        assert is_outage(wrapped)
    assert not is_outage(psycopg.errors.UniqueViolation("duplicate key"))
    assert not is_outage(ValueError("boom"))


def test_an_outage_is_logged_once_then_at_a_falling_rate(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    log = OutageLog(logging.getLogger("test.outage"), "worker")
    with caplog.at_level(logging.WARNING, "test.outage"):
        for _ in range(600):  # ten minutes of failures, one a second
            log.failed(_refused())
            clock[0] += 1
        assert log.recovered() == pytest.approx(600)
    lines = [r.getMessage() for r in caplog.records]
    # at 0 s, then after 10, 30, 70, 150, 310 s (gaps doubling), and the end: 7 lines, not 600
    assert len(lines) == 7, lines
    assert all("\n" not in line for line in lines)
    assert "database available again after 600.0 s" in lines[-1]


def test_tracebacks_of_outage_errors_become_one_line() -> None:
    try:
        raise ConnectorException() from _refused()
    except ConnectorException:
        exc_info = sys.exc_info()
    record = logging.LogRecord("procrastinate", logging.ERROR, __file__, 1, "%s error", ("listener",), exc_info)
    assert OutageTracebacks().filter(record)
    assert not record.exc_info
    assert record.getMessage().startswith("listener error (OperationalError: connection failed")
    assert "\n" not in record.getMessage()
