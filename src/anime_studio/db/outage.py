"""Riding out a database outage: recognise it, wait with backoff, and log it once, then at a falling rate."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, Protocol, TypeVar

import psycopg

P = ParamSpec("P")
T = TypeVar("T")

FIRST_REMINDER = 10.0  # seconds after the first report, then doubling up to MAX_REMINDER
MAX_REMINDER = 300.0
MAX_BACKOFF = 5.0


def _root_outage(error: BaseException) -> BaseException | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, psycopg.OperationalError | ConnectionError):
            return current
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return None


def is_outage(error: BaseException) -> bool:
    """True when ``error`` (or what caused it) says the server is unreachable, not that a query is wrong.

    psycopg reports refused connections, dropped connections, shutdowns and pool timeouts as
    ``OperationalError``; SQLAlchemy and Procrastinate wrap it.
    """
    return _root_outage(error) is not None


def _summary(error: BaseException) -> str:
    """One line: psycopg's messages run over several lines (and hints), tracebacks over dozens."""
    error = _root_outage(error) or error
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text[:160]}"


class OutageLog:
    """One warning when an outage starts, reminders at a falling rate, one line when it ends."""

    def __init__(self, logger: logging.Logger, what: str) -> None:
        self.logger, self.what = logger, what
        self.since: float | None = None
        self.ended_at: float | None = None  # monotonic time the last outage ended
        self._next = 0.0
        self._gap = FIRST_REMINDER
        self.reports = 0

    @property
    def down(self) -> bool:
        return self.since is not None

    def failed(self, error: BaseException) -> None:
        now = time.monotonic()
        if self.since is None:
            self.since, self._gap, self._next = now, FIRST_REMINDER, now + FIRST_REMINDER
            self.logger.warning("%s: database unavailable (%s); waiting for it", self.what, _summary(error))
            self.reports += 1
        elif now >= self._next:
            self.logger.warning(
                "%s: database still unavailable after %.0f s (%s)", self.what, now - self.since, _summary(error)
            )
            self._gap = min(self._gap * 2, MAX_REMINDER)
            self._next = now + self._gap
            self.reports += 1

    def recovered(self) -> float | None:
        """Seconds the outage lasted (logged), or None when there was none."""
        if self.since is None:
            return None
        self.ended_at = time.monotonic()
        lasted, self.since = self.ended_at - self.since, None
        self.logger.warning("%s: database available again after %.1f s", self.what, lasted)
        return lasted

    def quiet_for(self, seconds: float) -> bool:
        """True when the database has been reachable, as far as this log saw, for at least ``seconds``."""
        return self.since is None and (self.ended_at is None or time.monotonic() - self.ended_at >= seconds)


class Stoppable(Protocol):
    @property
    def closing(self) -> bool: ...


D = TypeVar("D", bound=Stoppable)


def survives_outage(
    logger: logging.Logger,
) -> Callable[[Callable[Concatenate[D, P], Awaitable[T]]], Callable[Concatenate[D, P], Awaitable[T]]]:
    """Retry a database call whose first argument is the database until it gets through.

    For writes that must not be lost (a run's outcome, its resumable state): the caller waits out the
    outage instead of failing the run. Gives up at once when the process is closing, so shutdown stays
    bounded. Each call is one short transaction, so a retry never repeats half of one.
    """

    def wrap(func: Callable[Concatenate[D, P], Awaitable[T]]) -> Callable[Concatenate[D, P], Awaitable[T]]:
        outage = OutageLog(logger, func.__name__.replace("_", " "))

        @functools.wraps(func)
        async def call(db: D, /, *args: P.args, **kwargs: P.kwargs) -> T:
            delay = 0.2
            while True:
                try:
                    result = await func(db, *args, **kwargs)
                except Exception as error:
                    if db.closing or not is_outage(error):
                        raise
                    outage.failed(error)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, MAX_BACKOFF)
                    continue
                outage.recovered()
                return result

        return call

    return wrap


class OutageTracebacks(logging.Filter):
    """Log records caused by an outage keep one line, not a traceback (for the log handler of a process).

    Libraries (Procrastinate's worker, asyncio) log every failed query with its traceback; during an outage
    that was dozens of lines a second, and rendering them held up the event loop for seconds.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and is_outage(error):
            record.msg = f"{record.getMessage()} ({_summary(error)})"
            record.args, record.exc_info, record.exc_text = None, None, None
        return True
