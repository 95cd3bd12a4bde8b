"""Where each shot sits once shots overlap in crossfades, and where its dialogue goes."""

from __future__ import annotations

from dataclasses import dataclass

MAX_TRANSITION_SHARE = 0.4  # a crossfade never eats more than 40 % of either clip
DIALOGUE_LEAD = 0.25  # seconds between a shot appearing and its line starting


@dataclass(frozen=True)
class Join:
    """How clip ``index`` enters: ``kind`` cut/dissolve/fade/wipe over ``duration`` seconds."""

    index: int
    kind: str
    duration: float


@dataclass(frozen=True)
class Timeline:
    starts: list[float]
    durations: list[float]
    joins: list[Join]
    total: float


def build(durations: list[float], transitions: list[tuple[str, float]], *, fps: int | None = None) -> Timeline:
    """Lay out clips; ``transitions[k]`` is clip k's entrance (ignored for the first clip).

    With ``fps``, clip lengths and overlaps are whole frames, so the scene is exactly Σ frames − Σ overlaps
    long and every transition starts on a frame boundary of both clips (what smart rendering cuts at).
    """
    if not durations:
        raise ValueError("a timeline needs at least one clip")
    if fps:
        durations = [round(d * fps) / fps for d in durations]
    starts, joins = [0.0], []
    for k in range(1, len(durations)):
        kind, wanted = transitions[k]
        limit = MAX_TRANSITION_SHARE * min(durations[k - 1], durations[k])
        length = 0.0 if kind == "cut" else min(wanted, limit)
        length = round(length * fps) / fps if fps else round(length, 3)
        kind = "cut" if length <= 0 else kind
        joins.append(Join(index=k, kind=kind, duration=length))
        starts.append(round(starts[-1] + durations[k - 1] - length, 6))
    return Timeline(starts=starts, durations=durations, joins=joins, total=round(starts[-1] + durations[-1], 6))


def keyframe_times(
    durations: list[float], transitions: list[tuple[str, float]], index: int, *, fps: int
) -> tuple[float, ...]:
    """Where clip ``index`` of a scene needs an IDR frame so that assembly can copy what no transition touches.

    That is where its entrance transition ends and where the next clip's begins, in the clip's own time.
    """
    layout = build(durations, transitions, fps=fps)
    times = []
    if index > 0 and layout.joins[index - 1].duration > 0:
        times.append(layout.joins[index - 1].duration)
    if index + 1 < len(durations) and layout.joins[index].duration > 0:
        times.append(layout.durations[index] - layout.joins[index].duration)
    return tuple(round(t, 6) for t in times)


def dialogue_start(timeline: Timeline, index: int) -> float:
    """A line starts once its shot has (mostly) faded in."""
    entrance = timeline.joins[index - 1].duration if index > 0 else 0.0
    return round(timeline.starts[index] + min(entrance, 0.3) + DIALOGUE_LEAD, 3)
