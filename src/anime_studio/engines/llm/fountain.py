"""A Fountain screenplay parser (https://fountain.io/syntax, version 1.1).

Produces the elements a breakdown needs: scene headings, action, dialogue blocks (character cue,
extension, parentheticals, lines, dual flag), transitions, centered text, sections and synopses,
lyrics and page breaks, plus the title page. Notes ``[[ ]]`` and the boneyard ``/* */`` are
removed, emphasis markers are stripped from the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal[
    "scene_heading", "action", "dialogue", "transition", "centered", "section", "synopsis", "lyrics", "page_break"
]

_HEADING = re.compile(r"^(?:int|ext|est|int\.?/ext|i/e)[.\s]", re.IGNORECASE)
_SCENE_NUMBER = re.compile(r"\s*#([\w.\-]+)#\s*$")
_TITLE_KEY = re.compile(r"^([A-Za-z][A-Za-z ]*):\s*(.*)$")
_TRANSITION = re.compile(r"^[A-Z0-9 .'\-]+TO:$")
_CENTERED = re.compile(r"^>\s*(.*?)\s*<$")
_PARENTHETICAL = re.compile(r"^\s*\(.*\)\s*$")
_EXTENSION = re.compile(r"\s*\(([^()]*)\)\s*")
_BONEYARD = re.compile(r"/\*.*?\*/", re.DOTALL)
_NOTE = re.compile(r"\[\[.*?\]\]", re.DOTALL)
_EMPHASIS = re.compile(r"(?<!\\)(\*{1,3}|_)(?=\S)(.+?)(?<=\S)(?<!\\)\1")
_NOTE_MARK = "\x00"


@dataclass(frozen=True)
class Element:
    """One screenplay element; only the fields of its kind are filled."""

    kind: Kind
    text: str = ""
    scene_number: str = ""
    character: str = ""
    """Dialogue: the cue as written, without extensions (``MIRA``)."""
    extensions: tuple[str, ...] = ()
    """Dialogue: ``V.O.``, ``O.S.``, ``CONT'D`` …"""
    parentheticals: tuple[str, ...] = ()
    """Dialogue: wrylies without their parentheses (``softly``)."""
    dual: bool = False
    depth: int = 0
    """Section: the number of ``#``."""


@dataclass
class Screenplay:
    title_page: dict[str, str] = field(default_factory=dict)
    elements: list[Element] = field(default_factory=list)


def looks_like_fountain(text: str) -> bool:
    """Whether ``text`` is a screenplay rather than prose: a scene heading, or dialogue blocks under cues."""
    lines = _strip_notes(_BONEYARD.sub("", text)).split("\n")
    blank_before = True
    cues = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if blank_before and (_HEADING.match(stripped) or re.match(r"^\.[A-Za-z0-9]", stripped)):
            return True
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if blank_before and _is_cue(stripped) and following:
            cues += 1
        blank_before = not stripped
    return cues >= 2


def parse(text: str) -> Screenplay:
    """Parse a Fountain document."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = _strip_notes(_BONEYARD.sub("", text))
    lines = text.split("\n")
    screenplay = Screenplay()
    start = _title_page(lines, screenplay.title_page)
    _Parser(lines[start:], screenplay.elements).run()
    return screenplay


def clean(text: str) -> str:
    """Text without emphasis markers or escapes, whitespace collapsed."""
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return " ".join(text.replace("\\", "").split())


def _strip_notes(text: str) -> str:
    """Remove ``[[notes]]``; a line that held only a note disappears instead of becoming a blank line."""
    marked = _NOTE.sub(_NOTE_MARK, text)
    kept = [line for line in marked.split("\n") if not (line.strip() and not line.replace(_NOTE_MARK, "").strip())]
    return "\n".join(kept).replace(_NOTE_MARK, "")


def _title_page(lines: list[str], title_page: dict[str, str]) -> int:
    """Read ``Key: value`` pairs (values may continue on indented lines); return the first body line."""
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or not _TITLE_KEY.match(lines[index]) or _HEADING.match(lines[index].strip()):
        return 0
    key = ""
    while index < len(lines) and lines[index].strip():
        line = lines[index]
        match = _TITLE_KEY.match(line)
        if match and not line[:1].isspace():
            key = match.group(1).strip().lower()
            title_page[key] = clean(match.group(2))
        elif key:
            title_page[key] = (title_page[key] + "\n" + clean(line)).strip()
        index += 1
    return index


def _is_cue(line: str) -> bool:
    """A character cue: forced with ``@``, or upper case with at least one letter (extensions aside)."""
    if line.startswith("@"):
        return len(line) > 1
    name = _EXTENSION.sub(" ", line.rstrip("^").strip()).strip()
    return bool(name) and any(c.isalpha() for c in name) and name == name.upper() and not _TRANSITION.match(line)


class _Parser:
    """Line-by-line state machine over the body of the document."""

    def __init__(self, lines: list[str], out: list[Element]) -> None:
        self.lines = lines
        self.out = out
        self.index = 0
        self.action: list[str] = []

    def run(self) -> None:
        while self.index < len(self.lines):
            line = self.lines[self.index]
            if not line.strip():
                self._flush_action()
                self.index += 1
                continue
            if not self._structural(line):
                self.action.append(line)
                self.index += 1
        self._flush_action()

    def _blank(self, offset: int) -> bool:
        position = self.index + offset
        return position < 0 or position >= len(self.lines) or not self.lines[position].strip()

    def _structural(self, line: str) -> bool:
        """Handle ``line`` if it starts a non-action element; False leaves it to the action paragraph."""
        stripped = line.strip()
        alone = self._blank(-1) and not self.action
        if stripped.startswith("!"):
            self.action.append(line.replace("!", "", 1))
            self.index += 1
            return True
        if re.fullmatch(r"={3,}", stripped):
            return self._emit(Element("page_break"))
        if stripped.startswith("#"):
            depth = len(stripped) - len(stripped.lstrip("#"))
            return self._emit(Element("section", clean(stripped[depth:]), depth=depth))
        if stripped.startswith("=") and not stripped.startswith("=="):
            return self._emit(Element("synopsis", clean(stripped[1:])))
        if match := _CENTERED.match(stripped):
            return self._emit(Element("centered", clean(match.group(1))))
        if stripped.startswith(">"):
            return self._emit(Element("transition", clean(stripped[1:])))
        if stripped.startswith("~"):
            return self._emit(Element("lyrics", clean(stripped[1:])))
        if alone and self._blank(1):
            if re.match(r"^\.[A-Za-z0-9]", stripped) or _HEADING.match(stripped):
                return self._heading(stripped)
            if _TRANSITION.match(stripped):
                return self._emit(Element("transition", clean(stripped)))
        if alone and not self._blank(1) and _is_cue(stripped):
            return self._dialogue(stripped)
        return False

    def _emit(self, element: Element) -> bool:
        self._flush_action()
        self.out.append(element)
        self.index += 1
        return True

    def _heading(self, stripped: str) -> bool:
        text = stripped[1:] if stripped.startswith(".") else stripped
        number = ""
        if match := _SCENE_NUMBER.search(text):
            number, text = match.group(1), text[: match.start()]
        return self._emit(Element("scene_heading", clean(text), scene_number=number))

    def _dialogue(self, cue: str) -> bool:
        self._flush_action()
        dual = cue.endswith("^")
        cue = cue.rstrip("^").strip().removeprefix("@")
        extensions = tuple(e.strip() for e in _EXTENSION.findall(cue))
        name = clean(_EXTENSION.sub(" ", cue))
        parentheticals: list[str] = []
        spoken: list[str] = []
        self.index += 1
        while self.index < len(self.lines):
            line = self.lines[self.index]
            if not line.strip() and line != "  ":  # two spaces keep a blank line inside dialogue
                break
            if _PARENTHETICAL.match(line):
                parentheticals.append(clean(line.strip()[1:-1]))
            else:
                spoken.append(line.strip().removeprefix("~"))
            self.index += 1
        text = clean(" ".join(spoken))
        self.out.append(Element("dialogue", text, character=name, extensions=extensions,
                                parentheticals=tuple(parentheticals), dual=dual))  # fmt: skip
        return True

    def _flush_action(self) -> None:
        if self.action:
            text = "\n".join(clean(line) for line in self.action).strip()
            if text:
                self.out.append(Element("action", text))
            self.action = []
