"""Non-human characters: a round-bodied creature with big eyes and stubby legs, never a human silhouette.

Creature units: the creature stands 1.0 tall, feet at y=1, centred on x=0. The body plan (lantern,
animal, mushroom, bird, robot, dragon, blob, round) comes from the species words.
"""

from __future__ import annotations

import math

from anime_studio.engines.image.storyboard.canvas import Point, ellipse_points
from anime_studio.engines.image.storyboard.colors import RGB, darken, lighten, mix
from anime_studio.engines.image.storyboard.figures import Pose
from anime_studio.engines.image.storyboard.looks import CreatureLook
from anime_studio.engines.image.storyboard.shapes import Capsule, Ellipse, Poly, Shape, Stroke

BODY_CY = 0.52
BODY_RX = 0.38
BODY_RY = 0.34


def creature_shapes(look: CreatureLook, pose: Pose, *, detail: int, rear: bool = False) -> list[Shape]:
    """All parts of the creature, back to front; ``rear``: seen from behind (no belly or snout)."""
    shapes: list[Shape] = []
    if look.glow is not None:
        for grow, alpha in ((1.75, 0.12), (1.4, 0.2)):
            shapes.append(Shape(Ellipse(0, BODY_CY, BODY_RX * grow, BODY_RY * grow), look.glow, False, False, alpha))
    shapes += _behind(look, pose)
    if look.kind != "blob":
        shapes += _legs(look, pose)
    shapes += _body(look)
    shapes += _front(look, pose, rear=rear)
    if detail >= 1:
        shapes += _face(look, pose, detail)
    return shapes


def _legs(look: CreatureLook, pose: Pose) -> list[Shape]:
    hop = 0.05 if pose.knee_left > 0.3 else 0.0
    shapes = []
    for side in (-1, 1):
        top = (side * BODY_RX * 0.45, BODY_CY + BODY_RY * 0.6)
        foot = (side * BODY_RX * 0.52, 0.95 - hop * (1 if side < 0 else 0.4))
        width = 0.025 if look.kind == "bird" else 0.055
        legs = darken(look.body, 0.12) if look.kind == "mushroom" else look.frame  # a mushroom's legs are stem
        shapes.append(Shape(Capsule(top, foot, width, width * 0.9), legs))
        shapes.append(Shape(Ellipse(foot[0] + side * 0.02, foot[1] + 0.02, 0.07, 0.035), darken(legs, 0.1)))
    return shapes


def _body(look: CreatureLook) -> list[Shape]:
    if look.kind == "robot":
        x, y0, y1 = BODY_RX * 0.95, BODY_CY - BODY_RY, BODY_CY + BODY_RY
        r = 0.08
        corners: list[Point] = []
        for cx, cy, a0 in ((x - r, y0 + r, 1.0), (x - r, y1 - r, 0.0), (-x + r, y1 - r, 0.5), (-x + r, y0 + r, 1.5)):
            corners += ellipse_points(cx, cy, r, r, start=a0 * math.pi - math.pi / 2, end=a0 * math.pi)
        return [Shape(Poly(tuple(corners)), look.body)]
    if look.kind == "blob":
        points: list[Point] = []
        for x, y in ellipse_points(0, 0, BODY_RX * 1.05, BODY_RY * 1.25):
            lift = 1 - 0.55 * max(0.0, -y / (BODY_RY * 1.25)) ** 1.5  # narrower, pointed top: a drop
            points.append((x * lift, 0.97 - BODY_RY * 1.25 + y))
        return [Shape(Poly(tuple(points)), look.body)]
    rx = BODY_RX * (0.9 if look.kind == "lantern" else 1.0)
    return [Shape(Ellipse(0, BODY_CY, rx, BODY_RY), look.body)]


def _behind(look: CreatureLook, pose: Pose) -> list[Shape]:
    shapes: list[Shape] = []
    if look.kind in {"animal", "dragon"}:
        shapes += _tails(look, pose)
    if look.kind == "bird":
        for side in (-1, 1):
            wing = Ellipse(side * BODY_RX * 0.95, BODY_CY + 0.02, 0.09, 0.16, rotation=-side * 0.5)
            shapes.append(Shape(wing, darken(look.body, 0.12)))
    if look.kind == "dragon":
        for i in range(4):
            a = math.pi * (1.25 + 0.17 * i)
            base = (BODY_RX * 0.9 * math.cos(a), BODY_CY + BODY_RY * 0.9 * math.sin(a))
            tip = (BODY_RX * 1.25 * math.cos(a), BODY_CY + BODY_RY * 1.3 * math.sin(a))
            shapes.append(Shape(Capsule(base, tip, 0.045, 0.005), look.frame))
    if look.kind == "animal":
        for side in (-1, 1):
            ear = Poly(
                ((side * 0.1, BODY_CY - BODY_RY * 0.8), (side * 0.3, BODY_CY - BODY_RY * 0.55), (side * 0.27, 0.06))
            )
            shapes.append(Shape(ear, look.body))
            inner = Poly(
                ((side * 0.14, BODY_CY - BODY_RY * 0.75), (side * 0.26, BODY_CY - BODY_RY * 0.6), (side * 0.245, 0.12))
            )
            shapes.append(Shape(inner, look.belly, False, False))
    if look.kind in {"round", "robot"}:
        for side in (-1, 1) if look.kind == "round" else (1,):
            base = (side * 0.1, BODY_CY - BODY_RY * 0.9)
            tip = (side * 0.2 + pose.wind * 0.05, 0.05)
            shapes.append(
                Shape(Stroke((base, ((base[0] + tip[0]) / 2 + side * 0.03, 0.11), tip), 0.018), look.frame, False)
            )
            shapes.append(Shape(Ellipse(tip[0], tip[1], 0.04, 0.04), look.spots or look.frame))
    return shapes


def _tails(look: CreatureLook, pose: Pose) -> list[Shape]:
    """One tail, or a fan of them (a nine-tailed fox shows nine); bushy with a pale tip when muzzled."""
    sway = pose.wind * 0.1
    count = look.tails
    shapes: list[Shape] = []
    for i in range(count):
        spread = (i - (count - 1) / 2) / max(1, count - 1) if count > 1 else 0.0
        angle = -0.55 + spread * 1.7  # radians from horizontal-right, fanning up and down behind the body
        root = (BODY_RX * 0.7, BODY_CY + 0.1)
        reach = BODY_RX * (0.75 if count > 1 else 0.7)
        tip = (root[0] + reach * math.cos(angle) + sway, root[1] + reach * math.sin(angle) * 1.2)
        color = look.frame if look.kind == "dragon" else look.body
        thick = 0.075 if look.muzzle else 0.05
        shapes.append(Shape(Capsule(root, tip, thick * 0.7, thick), color))
        if look.muzzle:
            shapes.append(Shape(Ellipse(tip[0], tip[1], thick * 0.85, thick * 0.85), look.belly))
    return shapes


def _front(look: CreatureLook, pose: Pose, *, rear: bool = False) -> list[Shape]:
    shapes: list[Shape] = []
    if look.kind == "lantern":
        shapes += _lantern(look)
    elif look.kind == "mushroom":
        cap = ellipse_points(
            0, BODY_CY - BODY_RY * 0.45, BODY_RX * 1.25, BODY_RY * 0.95, start=math.pi, end=2 * math.pi
        )
        shapes.append(Shape(Poly(tuple(cap)), look.frame))
        dots = look.spots or lighten(look.frame, 0.8)
        for x, y, r in ((-0.22, 0.2, 0.05), (0.05, 0.1, 0.06), (0.28, 0.22, 0.04)):
            shapes.append(Shape(Ellipse(x, y, r, r * 0.8), dots, False, False))
    elif look.kind == "bird":
        beak = Poly(((-0.05, BODY_CY + 0.0), (0.05, BODY_CY + 0.0), (0.0, BODY_CY + 0.08)))
        shapes.append(Shape(beak, look.frame))
    elif look.kind == "robot":
        screen = Poly(((-0.25, 0.3), (0.25, 0.3), (0.25, 0.58), (-0.25, 0.58)))
        shapes.append(Shape(screen, darken(look.belly, 0.55), False))
    elif look.kind != "blob" and not rear:
        shapes.append(
            Shape(Ellipse(0, BODY_CY + BODY_RY * 0.38, BODY_RX * 0.55, BODY_RY * 0.45), look.belly, False, False)
        )
    if look.muzzle and not rear:
        shift = pose.facing * 0.09  # the snout points where the face turns
        shapes.append(Shape(Ellipse(shift, BODY_CY + 0.08, 0.12, 0.07), look.belly))
        shapes.append(Shape(Ellipse(shift * 1.3, BODY_CY + 0.035, 0.032, 0.022), darken(look.eyes, 0.2), False, False))
    if look.spots is not None and look.kind in {"round", "animal", "dragon", "blob", "bird"}:
        for x, y in ((-0.24, 0.42), (0.26, 0.5), (-0.18, 0.66)):
            shapes.append(Shape(Ellipse(x, y, 0.035, 0.03), look.spots, False, False))
    return shapes


def _lantern(look: CreatureLook) -> list[Shape]:
    frame = look.frame
    shapes: list[Shape] = []
    glow = look.glow or lighten(look.body, 0.5)
    flame = Poly(tuple(_flame_points(0, BODY_CY + 0.12, 0.07, 0.16)))
    shapes.append(Shape(Ellipse(0, BODY_CY + 0.06, 0.15, 0.13), mix(look.body, glow, 0.6), False, False, 0.85))
    shapes.append(Shape(flame, glow, False, False))
    for x in (-0.2, 0.2):
        rib = ellipse_points(0, BODY_CY, abs(x), BODY_RY * 0.98, start=-math.pi / 2, end=math.pi / 2)
        if x < 0:
            rib = [(-px, py) for px, py in rib]
        shapes.append(Shape(Stroke(tuple(rib), 0.012), darken(look.body, 0.25), False, False))
    shapes.append(Shape(Poly(((-0.17, 0.14), (0.17, 0.14), (0.15, 0.21), (-0.15, 0.21))), frame))
    shapes.append(Shape(Poly(((-0.15, 0.83), (0.15, 0.83), (0.17, 0.89), (-0.17, 0.89))), frame))
    handle = ellipse_points(0, 0.14, 0.08, 0.09, start=math.pi, end=2 * math.pi)
    shapes.append(Shape(Stroke(tuple(handle), 0.016), frame, False))
    return shapes


def _flame_points(cx: float, cy: float, w: float, h: float) -> list[Point]:
    points: list[Point] = []
    for x, y in ellipse_points(0, 0, w, h * 0.5):
        narrowing = 1 - 0.85 * max(0.0, -y / (h * 0.5))
        points.append((cx + x * narrowing, cy + y * (1.6 if y < 0 else 1.0)))
    return points


def _face(look: CreatureLook, pose: Pose, detail: int) -> list[Shape]:
    eye_y = BODY_CY - 0.06 if look.kind != "mushroom" else BODY_CY + 0.02
    if look.kind == "blob":
        eye_y = 0.7
    shift = pose.facing * 0.06
    eye_color: RGB = look.eyes if look.kind != "robot" else lighten(look.eyes, 0.6)
    shapes: list[Shape] = []
    for side in (-1, 1):
        ex = shift + side * 0.11
        shapes.append(Shape(Ellipse(ex, eye_y, 0.045, 0.06), eye_color, False, False))
        if detail >= 2:
            shapes.append(Shape(Ellipse(ex - 0.014, eye_y - 0.022, 0.016, 0.016), (255, 255, 255), False, False))
    if detail >= 2:
        mouth_y = eye_y + (0.15 if look.muzzle else 0.06)  # under the snout when there is one
        depth = 0.025 * (pose.smile + 0.2)
        mouth = ellipse_points(shift, mouth_y, 0.035, depth, start=0.1 * math.pi, end=0.9 * math.pi)
        shapes.append(Shape(Stroke(tuple(mouth), 0.012), darken(look.eyes, 0.1), False, False))
        if pose.blush:
            for side in (-1, 1):
                blush = Ellipse(shift + side * 0.2, eye_y + 0.06, 0.05, 0.025)
                shapes.append(Shape(blush, (240, 110, 120), False, False, 0.5))
    return shapes
