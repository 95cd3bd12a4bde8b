"""Errors raised by the ComfyUI client, with messages a user can act on, each of one failure class.

The class (``kind``) decides what a retry can fix: an unreachable or timed-out backend is parked and the
prompt runs elsewhere; out-of-memory runs again on a backend with more free VRAM or at a lower resolution;
a rejected workflow, a missing model, an interrupted prompt or a failing node would fail the same way again.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, get_args

from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.comfyui.catalog import MODEL_FOLDERS

FailureKind = Literal["unreachable", "timed_out", "rejected", "out_of_memory", "missing_model", "interrupted", "failed"]
FAILURE_KINDS: tuple[FailureKind, ...] = get_args(FailureKind)
CONNECTION_KINDS: frozenset[FailureKind] = frozenset({"unreachable", "timed_out"})
"""Failures of the backend itself: park it and run the prompt elsewhere."""

LABELS: dict[FailureKind, str] = {
    "unreachable": "unreachable",
    "timed_out": "timed out",
    "rejected": "workflow rejected",
    "out_of_memory": "out of memory",
    "missing_model": "missing model",
    "interrupted": "interrupted",
    "failed": "node failed",
}


def failure_kind(error: BaseException) -> FailureKind:
    """The failure class of an error ("failed" for anything not raised by this package)."""
    kind = getattr(error, "kind", None)
    return kind if kind in FAILURE_KINDS else "failed"


class BackendUnavailable(TransientEngineError):
    """The backend did not answer (connection refused, reset, 5xx): try another one."""

    kind: ClassVar[FailureKind] = "unreachable"

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"ComfyUI at {url} is unreachable: {reason}")
        self.url = url


class BackendTimedOut(BackendUnavailable):
    """The backend accepted the connection but did not answer in time (hung, or swamped)."""

    kind: ClassVar[FailureKind] = "timed_out"

    def __init__(self, url: str, reason: str) -> None:
        TransientEngineError.__init__(self, f"ComfyUI at {url} timed out: {reason}")
        self.url = url


class PromptTimedOut(TransientEngineError):
    """Our prompt did not start or finish within the render timeout (the backend hangs)."""

    kind: ClassVar[FailureKind] = "timed_out"

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"ComfyUI at {url} timed out: {message}")
        self.url = url


class PromptLost(TransientEngineError):
    """The backend no longer knows our prompt (it restarted, or its history was cleared): run it again."""

    kind: ClassVar[FailureKind] = "unreachable"

    def __init__(self, url: str, prompt_id: str) -> None:
        super().__init__(f"ComfyUI at {url} forgot prompt {prompt_id} (the server restarted?)")
        self.url = url
        self.prompt_id = prompt_id


class SubmissionFailed(TransientEngineError):
    """A backend's queue job could not submit the prompt; ``kind`` is the class of the error it recorded."""

    def __init__(self, message: str, kind: FailureKind = "unreachable") -> None:
        super().__init__(message)
        self.kind = kind


class SubmissionRefused(EngineError):
    """A backend's queue job recorded a failure that a retry would not fix (rejected, missing model …)."""

    def __init__(self, message: str, kind: FailureKind = "failed") -> None:
        super().__init__(message)
        self.kind = kind


def restore(message: str, kind: str, *, transient: bool) -> EngineError:
    """The error a queue job recorded (message, class, transient), raised again in the waiting run."""
    known = next((k for k in FAILURE_KINDS if k == kind), "unreachable" if transient else "failed")
    return SubmissionFailed(message, known) if transient else SubmissionRefused(message, known)


class WorkflowRejected(EngineError):
    """``POST /prompt`` answered 400: the message names node id, class, input and reason for each error."""

    kind: ClassVar[FailureKind] = "rejected"

    def __init__(self, error: Any, node_errors: Any, *, url: str = "") -> None:
        self.error = error
        self.node_errors = node_errors if isinstance(node_errors, dict) else {}
        self.url = url
        where = f"ComfyUI at {url}" if url else "ComfyUI"
        super().__init__(f"{where} rejected the workflow: " + describe_rejection(error, self.node_errors))


class MissingModel(WorkflowRejected):
    """The workflow names model files the backend does not have (its validation lists what it has)."""

    kind: ClassVar[FailureKind] = "missing_model"

    def __init__(self, error: Any, node_errors: Any, *, url: str = "", files: list[str]) -> None:
        super().__init__(error, node_errors, url=url)
        self.files = files
        where = f"ComfyUI at {url}" if url else "ComfyUI"
        EngineError.__init__(self, f"{where} lacks the model file(s) " + ", ".join(files))


def rejection(error: Any, node_errors: Any, *, url: str) -> WorkflowRejected:
    """``MissingModel`` when every validation error is a model file not on the disk, else ``WorkflowRejected``."""
    files: list[str] = []
    entries = node_errors.items() if isinstance(node_errors, dict) else []
    for node_id, entry in ((n, e) for n, e in entries if isinstance(e, dict)):
        for reason in (r for r in entry.get("errors", []) if isinstance(r, dict)):
            raw = reason.get("extra_info")
            extra: dict[str, Any] = raw if isinstance(raw, dict) else {}
            folder = MODEL_FOLDERS.get((str(entry.get("class_type")), str(extra.get("input_name"))))
            if reason.get("type") != "value_not_in_list" or folder is None:
                return WorkflowRejected(error, node_errors, url=url)
            where = f"models/{folder}, node {node_id} {entry.get('class_type')}.{extra.get('input_name')}"
            files.append(f"{extra.get('received_value')!r} ({where})")
    if not files:
        return WorkflowRejected(error, node_errors, url=url)
    return MissingModel(error, node_errors, url=url, files=files)


class ExecutionFailed(EngineError):
    """A node raised while the prompt ran (``execution_error``)."""

    kind: ClassVar[FailureKind] = "failed"

    def __init__(
        self, *, prompt_id: str, node_id: str, node_type: str, exception_type: str, message: str, url: str = ""
    ) -> None:
        self.prompt_id = prompt_id
        self.node_id = node_id
        self.node_type = node_type
        self.exception_type = exception_type
        self.url = url
        where = f"ComfyUI at {url}" if url else "ComfyUI"
        super().__init__(f"{where} failed at node {node_id} ({node_type}): {exception_type}: {message.strip()}")


class ModelFileMissing(ExecutionFailed):
    """A loader node could not open its model file (deleted or moved after validation)."""

    kind: ClassVar[FailureKind] = "missing_model"


class OutOfMemory(EngineError):
    """The GPU ran out of memory: the renderer retries with more free VRAM or a lighter workflow, not as is."""

    kind: ClassVar[FailureKind] = "out_of_memory"

    def __init__(self, message: str, *, url: str = "", node_type: str = "") -> None:
        super().__init__(message)
        self.url = url
        self.node_type = node_type


class Interrupted(EngineError):
    """Someone stopped the prompt on the server (ComfyUI's Cancel, or ``/interrupt`` from another client)."""

    kind: ClassVar[FailureKind] = "interrupted"

    def __init__(self, url: str, prompt_id: str, node_id: Any, node_type: Any = None) -> None:
        node = f"node {node_id}" + (f" ({node_type})" if node_type else "")
        super().__init__(f"ComfyUI at {url} interrupted prompt {prompt_id} at {node} (stopped on the server)")
        self.url = url


_OOM_TYPES = ("OutOfMemoryError", "OOM")
_MISSING_FILE_TYPES = ("FileNotFoundError",)


def execution_error(data: dict[str, Any], *, url: str = "") -> EngineError:
    """The exception matching an ``execution_error`` message (ComfyUI's own words kept)."""
    exception_type = str(data.get("exception_type", ""))
    message = str(data.get("exception_message", "")).strip()
    node_id, node_type = str(data.get("node_id", "?")), str(data.get("node_type", "?"))
    if exception_type.endswith(_OOM_TYPES) or "out of memory" in message.lower():
        first_line = message.splitlines()[0] if message else "out of memory"
        where = f"ComfyUI at {url}" if url else "ComfyUI"
        return OutOfMemory(
            f"{where} ran out of GPU memory at node {node_id} ({node_type}): {first_line}", url=url, node_type=node_type
        )
    loader = any(class_type == node_type for class_type, _ in MODEL_FOLDERS)
    cls = ModelFileMissing if loader and exception_type.endswith(_MISSING_FILE_TYPES) else ExecutionFailed
    return cls(
        prompt_id=str(data.get("prompt_id", "")),
        node_id=node_id,
        node_type=node_type,
        exception_type=exception_type or "error",
        message=message,
        url=url,
    )


def describe_rejection(error: Any, node_errors: dict[str, Any]) -> str:
    """One clause per node error ("node 4 (CheckpointLoaderSimple) input ckpt_name: value not in list: 'x'")."""
    clauses = [
        _clause(str(node_id), str(entry.get("class_type", "?")), reason)
        for node_id, entry in node_errors.items()
        if isinstance(entry, dict)
        for reason in entry.get("errors", [])
        if isinstance(reason, dict)
    ]
    if clauses:
        return "; ".join(clauses)
    if isinstance(error, dict):
        message, details = str(error.get("message", "invalid prompt")), str(error.get("details", ""))
        return f"{message} ({details})" if details else message
    return str(error)


def _clause(node_id: str, class_type: str, reason: dict[str, Any]) -> str:
    extra = reason.get("extra_info") or {}
    input_name = extra.get("input_name") if isinstance(extra, dict) else None
    where = f"node {node_id} ({class_type})" + (f" input {input_name}" if input_name else "")
    return f"{where}: {_reason(reason, extra if isinstance(extra, dict) else {})}"


def _reason(reason: dict[str, Any], extra: dict[str, Any]) -> str:
    kind = reason.get("type")
    message = str(reason.get("message", "invalid"))
    if kind == "value_not_in_list":
        return f"value not in list: {extra.get('received_value')!r}"
    if kind == "required_input_missing":
        return "required input is missing"
    if kind == "return_type_mismatch":
        config = extra.get("input_config") or ["?"]
        return f"linked to a {extra.get('received_type')} output but expects {config[0]}"
    if kind == "invalid_input_type":
        return f"{_lower_first(message)}: {extra.get('exception_message', '')}"
    if kind in ("exception_during_inner_validation", "exception_during_validation"):
        return f"validation raised {extra.get('exception_type', 'an error')}: {reason.get('details', '')}"
    details = str(reason.get("details", ""))
    text = _lower_first(message)
    return f"{text} ({details})" if details and details != extra.get("input_name") else text


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
