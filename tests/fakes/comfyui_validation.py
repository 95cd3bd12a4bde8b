"""``POST /prompt`` validation with ComfyUI's rules, error shapes and messages (v0.8.0 ``execution.py``).

Behaviour reproduced (checked against ``comfyui_data/probes``):
- every node needs ``class_type`` and a known class, else ``invalid_prompt`` naming the node;
- at least one output node (``output_node`` in the schema), else ``prompt_no_outputs``;
- from each output, inputs are validated depth-first: missing required input, malformed link, link
  output type vs input type (``*`` matches anything, comma lists need one common type), INT/FLOAT/
  STRING/BOOLEAN conversion with Python's own error text, min/max, combo membership (lists longer than
  20 are summarised), and LoadImage's custom check that the file exists in ``input/``;
- a link to a missing node raises inside the linked node's validation and is reported on that node as
  ``exception_during_inner_validation`` (probe c5), with ComfyUI's traceback frames;
- ``node_errors`` lists only nodes with their own errors, each with the outputs depending on it.

One deliberate difference: ComfyUI walks a node's inputs in ``set`` order (it changes with Python's hash
seed, so two real servers order a node's errors differently); this fake walks them in schema order.
Optional extra (off by default, on for our own builders' tests): ``strict_steps`` also rejects INT values
that are off the input's ``step`` grid, which ComfyUI itself lets through and then silently rounds.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

EXECUTION_PY = "/tmp/comfy/ComfyUI/execution.py"
_FRAME = '  File "{file}", line {line}, in {func}\n    <source line omitted>\n'
INNER_TRACEBACK = [
    _FRAME.format(file=EXECUTION_PY, line=838, func="validate_inputs"),
    _FRAME.format(file=EXECUTION_PY, line=818, func="validate_inputs"),
]
# validate_prompt's own call line was not captured; the value below is a stand-in.
OUTER_TRACEBACK = [_FRAME.format(file=EXECUTION_PY, line=2106, func="validate_prompt"), INNER_TRACEBACK[1]]
CUSTOM_VALIDATORS = ("LoadImage", "LoadImageMask")

Result = tuple[bool, list[dict[str, Any]], str]


class Validator:
    """Validates prompts against ``schemas`` (``/object_info`` with file lists filled in)."""

    def __init__(
        self, schemas: dict[str, Any], *, input_exists: Callable[[str], bool], strict_steps: bool = False
    ) -> None:
        self.schemas = schemas
        self.input_exists = input_exists
        self.strict_steps = strict_steps

    def validate_prompt(
        self, prompt: dict[str, Any], partial: list[str] | None = None
    ) -> tuple[bool, Any, list[str], dict[str, Any]]:
        """``(valid, error, good_outputs, node_errors)`` like ``execution.validate_prompt``."""
        outputs: list[str] = []
        for node_id, node in prompt.items():
            if "class_type" not in node:
                return (
                    False,
                    _invalid("Cannot execute because a node is missing the class_type property.", node_id),
                    [],
                    {},
                )
            class_type = node["class_type"]
            if class_type not in self.schemas:
                return False, _invalid(f"Cannot execute because node {class_type} does not exist.", node_id), [], {}
            if self.schemas[class_type].get("output_node") is True and (partial is None or node_id in partial):
                outputs.append(node_id)
        if not outputs:
            return False, _error("prompt_no_outputs", "Prompt has no outputs", ""), [], {}
        return self._validate_outputs(prompt, outputs)

    def _validate_outputs(
        self, prompt: dict[str, Any], outputs: list[str]
    ) -> tuple[bool, Any, list[str], dict[str, Any]]:
        good, failed, node_errors = [], [], {}
        validated: dict[str, Result] = {}
        for output in outputs:
            try:
                valid, reasons, _ = self.validate_inputs(prompt, output, validated)
            except Exception as error:
                valid, reasons = (
                    False,
                    [
                        _exception(
                            "exception_during_validation", "Exception when validating node", error, OUTER_TRACEBACK
                        )
                    ],
                )
                validated[output] = (False, reasons, output)
            if valid:
                good.append(output)
                continue
            failed.append((output, reasons))
            for node_id, (ok, node_reasons, _) in validated.items():
                if not ok and node_reasons:
                    entry = node_errors.setdefault(
                        node_id,
                        {"errors": node_reasons, "dependent_outputs": [], "class_type": prompt[node_id]["class_type"]},
                    )
                    entry["dependent_outputs"].append(output)
        if not good:
            details = "\n".join(f"{r['message']}: {r['details']}" for _, reasons in failed for r in reasons)
            return (
                False,
                _error("prompt_outputs_failed_validation", "Prompt outputs failed validation", details),
                [],
                node_errors,
            )
        return True, None, good, node_errors

    def validate_inputs(self, prompt: dict[str, Any], node_id: str, validated: dict[str, Result]) -> Result:
        """Validate one node (and, through links, everything upstream); cached in ``validated``."""
        if node_id in validated:
            return validated[node_id]
        inputs = prompt[node_id]["inputs"]  # a KeyError here propagates, as in ComfyUI
        class_type = prompt[node_id]["class_type"]
        schema = self.schemas[class_type]
        custom = {"image"} if class_type in CUSTOM_VALIDATORS else set()
        errors: list[dict[str, Any]] = []
        valid = True
        for name, category in _input_names(schema):
            input_type, extra = _input_info(schema, category, name)
            if name not in inputs:
                if category == "required":
                    errors.append(
                        {
                            "type": "required_input_missing",
                            "message": "Required input is missing",
                            "details": name,
                            "extra_info": {"input_name": name},
                        }
                    )
                continue
            value = inputs[name]
            info = [input_type, extra]
            if isinstance(value, list):
                problem = self._check_link(prompt, name, value, input_type, info, validated)
                if problem is not None:
                    if problem:
                        errors.append(problem)
                    else:
                        valid = False
                continue
            problem = self._check_value(inputs, name, value, input_type, extra, info, custom)
            if problem is not None:
                errors.append(problem)
        errors += self._custom(class_type, inputs, custom)
        result: Result = (False, errors, node_id) if errors or not valid else (True, [], node_id)
        validated[node_id] = result
        return result

    def _check_link(
        self,
        prompt: dict[str, Any],
        name: str,
        value: list[Any],
        input_type: Any,
        info: list[Any],
        validated: dict[str, Result],
    ) -> dict[str, Any] | None:
        """An error dict, ``{}`` when the linked node is invalid (reported there), or None when fine."""
        if len(value) != 2:
            return {
                "type": "bad_linked_input",
                "message": "Bad linked input, must be a length-2 list of [node_id, slot_index]",
                "details": name,
                "extra_info": {"input_name": name, "input_config": info, "received_value": value},
            }
        linked_id, index = value
        received = tuple(self.schemas[prompt[linked_id]["class_type"]]["output"])[index]
        if not types_match(received, input_type):
            return {
                "type": "return_type_mismatch",
                "message": "Return type mismatch between linked nodes",
                "details": f"{name}, received_type({received}) mismatch input_type({input_type})",
                "extra_info": {
                    "input_name": name,
                    "input_config": info,
                    "received_type": received,
                    "linked_node": value,
                },
            }
        try:
            ok, _, _ = self.validate_inputs(prompt, linked_id, validated)
        except Exception as error:
            reason = _exception(
                "exception_during_inner_validation", "Exception when validating inner node", error, INNER_TRACEBACK
            )
            reason["extra_info"] = {
                "input_name": name,
                "input_config": info,
                **reason["extra_info"],
                "linked_node": value,
            }
            validated[linked_id] = (False, [reason], linked_id)
            return {}
        return None if ok else {}

    def _check_value(
        self,
        inputs: dict[str, Any],
        name: str,
        value: Any,
        input_type: Any,
        extra: dict[str, Any],
        info: list[Any],
        custom: set[str],
    ) -> dict[str, Any] | None:
        """Convert the literal in place (as ComfyUI does); an error dict if it is not acceptable."""
        if isinstance(value, dict) and "__value__" in value:
            value = inputs[name] = value["__value__"]
        converters: dict[str, Callable[[Any], Any]] = {"INT": int, "FLOAT": float, "STRING": str, "BOOLEAN": bool}
        try:
            if isinstance(input_type, str) and input_type in converters:
                value = inputs[name] = converters[input_type](value)
        except Exception as error:
            return {
                "type": "invalid_input_type",
                "message": f"Failed to convert an input value to a {input_type} value",
                "details": f"{name}, {value}, {error}",
                "extra_info": {
                    "input_name": name,
                    "input_config": info,
                    "received_value": value,
                    "exception_message": str(error),
                },
            }
        if name in custom:
            return None
        return self._range_and_combo(name, value, input_type, extra, info)

    def _range_and_combo(
        self, name: str, value: Any, input_type: Any, extra: dict[str, Any], info: list[Any]
    ) -> dict[str, Any] | None:
        if "min" in extra and value < extra["min"]:
            return _bound(
                "value_smaller_than_min", f"Value {value} smaller than min of {extra['min']}", name, info, value
            )
        if "max" in extra and value > extra["max"]:
            return _bound(
                "value_bigger_than_max", f"Value {value} bigger than max of {extra['max']}", name, info, value
            )
        if (
            self.strict_steps
            and input_type == "INT"
            and extra.get("step", 1) > 1
            and (value - extra.get("min", 0)) % extra["step"]
        ):
            return _bound(
                "value_not_multiple_of_step",
                f"Value {value} is off the step grid of {extra['step']} (fake-only check)",
                name,
                info,
                value,
            )
        if isinstance(input_type, list) or input_type == "COMBO":
            options = extra.get("options", []) if input_type == "COMBO" else input_type
            if value not in options:
                long = len(options) > 20  # ComfyUI does not echo long (file) lists back
                listed = f"(list of length {len(options)})" if long else str(options)
                return {
                    "type": "value_not_in_list",
                    "message": "Value not in list",
                    "details": f"{name}: '{value}' not in {listed}",
                    "extra_info": {"input_name": name, "input_config": None if long else info, "received_value": value},
                }
        return None

    def _custom(self, class_type: str, inputs: dict[str, Any], custom: set[str]) -> list[dict[str, Any]]:
        """LoadImage's VALIDATE_INPUTS: the file must exist (``name.png``, ``name.png [input]`` …)."""
        errors = []
        for name in sorted(custom):
            if name in inputs and not isinstance(inputs[name], list) and not self.input_exists(str(inputs[name])):
                details = f"{name} - Invalid image file: {inputs[name]}"
                errors.append(
                    {
                        "type": "custom_validation_failed",
                        "message": "Custom validation failed for node",
                        "details": details,
                        "extra_info": {"input_name": name},
                    }
                )
        return errors


def types_match(received: Any, wanted: Any) -> bool:
    """ComfyUI's link type rule: equal, ``*`` on either side, or overlapping comma-separated unions."""
    if received == wanted or received == "*" or wanted == "*":
        return True
    if not isinstance(received, str) or not isinstance(wanted, str):
        return False
    return bool({t.strip() for t in received.split(",")} & {t.strip() for t in wanted.split(",")})


def _input_names(schema: dict[str, Any]) -> list[tuple[str, str]]:
    order = schema.get("input_order") or {}
    names = []
    for category in ("required", "optional"):
        declared = schema.get("input", {}).get(category) or {}
        for name in order.get(category) or list(declared):
            if name in declared:
                names.append((name, category))
    return names


def _input_info(schema: dict[str, Any], category: str, name: str) -> tuple[Any, dict[str, Any]]:
    config = schema["input"][category][name]
    extra = config[1] if len(config) > 1 and isinstance(config[1], dict) else {}
    return config[0], extra


def _invalid(message: str, node_id: str) -> dict[str, Any]:
    return _error("invalid_prompt", message, f"Node ID '#{node_id}'")


def _error(kind: str, message: str, details: str) -> dict[str, Any]:
    return {"type": kind, "message": message, "details": details, "extra_info": {}}


def _bound(kind: str, message: str, name: str, info: list[Any], value: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "message": message,
        "details": name,
        "extra_info": {"input_name": name, "input_config": info, "received_value": value},
    }


def _exception(kind: str, message: str, error: Exception, frames: list[str]) -> dict[str, Any]:
    exception_type = (
        type(error).__qualname__
        if type(error).__module__ == "builtins"
        else f"{type(error).__module__}.{type(error).__qualname__}"
    )
    return {
        "type": kind,
        "message": message,
        "details": str(error),
        "extra_info": {"exception_message": str(error), "exception_type": exception_type, "traceback": list(frames)},
    }


def format_traceback(error: BaseException) -> list[str]:
    """``traceback.format_tb`` of a real exception (used for injected execution errors)."""
    return traceback.format_tb(error.__traceback__)
