"""What a run handler gets: its parameters, the process runtime, and progress reporting."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import procrastinate

from anime_studio.config import Settings
from anime_studio.db.outage import is_outage
from anime_studio.db.session import Database
from anime_studio.engines.base import Progress
from anime_studio.engines.registry import Engines
from anime_studio.jobs import transitions
from anime_studio.jobs.models import Run
from anime_studio.media.paths import MediaPaths

PROGRESS_INTERVAL = 0.25


class JobRuntime(Protocol):
    """What jobs need of the process that runs them; ``anime_studio.runtime.Runtime`` hands itself in.

    A protocol rather than an import, so that the job layer sits below the process start-up code.
    """

    @property
    def settings(self) -> Settings: ...
    @property
    def db(self) -> Database: ...
    @property
    def paths(self) -> MediaPaths: ...
    @property
    def queue_app(self) -> procrastinate.App: ...
    @property
    def engines(self) -> Engines: ...


@dataclass
class RunContext:
    runtime: JobRuntime
    run_id: int
    kind: str
    params: dict[str, Any]
    attempt: int
    project_id: int | None = None
    subject_id: int | None = None
    _last_report: float = field(default=0.0, repr=False)
    _last_fraction: float = field(default=-1.0, repr=False)

    @classmethod
    def for_run(cls, runtime: JobRuntime, run: Run) -> RunContext:
        return cls(
            runtime=runtime,
            run_id=run.id,
            kind=run.kind,
            params=dict(run.params),
            attempt=run.attempts,
            project_id=run.project_id,
            subject_id=run.subject_id,
        )

    async def progress(self, fraction: float, message: str = "") -> None:
        """Report progress 0..1; written and published at most every 0.25 s (always at 0 and 1)."""
        fraction = min(1.0, max(0.0, fraction))
        now = time.monotonic()
        if fraction not in (0.0, 1.0) and now - self._last_report < PROGRESS_INTERVAL:
            return
        if fraction == self._last_fraction and now - self._last_report < PROGRESS_INTERVAL:
            return
        try:
            await transitions.report_progress(self.runtime.db, run_id=self.run_id, progress=fraction, message=message)
        except Exception as error:
            if not is_outage(error):
                raise
            return  # progress is advisory: the run goes on during an outage, and reports again after it
        self._last_report, self._last_fraction = now, fraction

    def span(self, start: float, end: float, prefix: str = "") -> Progress:
        """A progress callback for a sub-step that maps its 0..1 onto ``start..end`` of the run."""

        async def report(fraction: float, message: str) -> None:
            text = f"{prefix}: {message}" if prefix and message else prefix or message
            await self.progress(start + (end - start) * fraction, text)

        return report

    async def save_state(self, **state: Any) -> None:
        """Persist resumable state (e.g. finished shots) in the run's result; survives crashes and retries."""
        await transitions.merge_result(self.runtime.db, run_id=self.run_id, values=state)
