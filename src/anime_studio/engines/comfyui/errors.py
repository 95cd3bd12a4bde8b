"""Errors raised by the ComfyUI client, with messages a user can act on."""

from __future__ import annotations

from typing import Any

from anime_studio.engines.base import EngineError, TransientEngineError


class BackendUnavailable(TransientEngineError):
    """The backend did not answer (connection refused, reset, timed out, 5xx): try another one."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"ComfyUI at {url} is unreachable: {reason}")
        self.url = url


class PromptLost(TransientEngineError):
    """The backend no longer knows our prompt (it restarted, or its history was cleared): run it again."""

    def __init__(self, url: str, prompt_id: str) -> None:
        super().__init__(f"ComfyUI at {url} forgot prompt {prompt_id} (the server restarted?)")
        self.url = url
        self.prompt_id = prompt_id


class SubmissionFailed(TransientEngineError):
    """A backend's queue job could not submit the prompt (the backend died or refused it for now)."""


class WorkflowRejected(EngineError):
    """``POST /prompt`` answered 400: the message names node id, class, input and reason for each error."""

    def __init__(self, error: Any, node_errors: Any) -> None:
        self.error = error
        self.node_errors = node_errors if isinstance(node_errors, dict) else {}
        super().__init__("ComfyUI rejected the workflow: " + describe_rejection(error, self.node_errors))


class ExecutionFailed(EngineError):
    """A node raised while the prompt ran (``execution_error``)."""

    def __init__(self, *, prompt_id: str, node_id: str, node_type: str, exception_type: str, message: str) -> None:
        self.prompt_id = prompt_id
        self.node_id = node_id
        self.node_type = node_type
        self.exception_type = exception_type
        super().__init__(f"ComfyUI failed at node {node_id} ({node_type}): {exception_type}: {message.strip()}")


class OutOfMemory(TransientEngineError):
    """The GPU ran out of memory; another backend (or a later try) may succeed."""


def execution_error(data: dict[str, Any]) -> EngineError:
    """The exception matching an ``execution_error`` message (out-of-memory is retryable)."""
    exception_type = str(data.get("exception_type", ""))
    message = str(data.get("exception_message", "")).strip()
    if "OutOfMemory" in exception_type or "out of memory" in message.lower():
        return OutOfMemory(f"ComfyUI ran out of GPU memory at node {data.get('node_id')}: {message}")
    return ExecutionFailed(
        prompt_id=str(data.get("prompt_id", "")),
        node_id=str(data.get("node_id", "?")),
        node_type=str(data.get("node_type", "?")),
        exception_type=exception_type or "error",
        message=message,
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
