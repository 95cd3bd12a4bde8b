"""The stylised human figure: body, clothes and hair built from primitives in figure units.

Figure units: the figure stands 1.0 tall, x to the image's right, y down, head top at y=0, feet at
y=1, centred on x=0 (about 6 heads tall, anime proportions).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from anime_studio.engines.image.storyboard.canvas import Point, ellipse_points
from anime_studio.engines.image.storyboard.colors import RGB, darken, lighten, mix, shadow_of
from anime_studio.engines.image.storyboard.looks import HumanLook
from anime_studio.engines.image.storyboard.shapes import Capsule, Ellipse, Poly, Shape, Stroke

HEAD_CY = 0.088
HEAD_RX = 0.066
HEAD_RY = 0.082
EYE_LINE = HEAD_CY + HEAD_RY * 0.18
SHOULDER_Y = 0.21


@dataclass(frozen=True)
class Pose:
    """Limb angles in radians (0 = hanging straight down; positive = away from the body)."""

    arm_left: float = 0.15
    arm_right: float = 0.15
    elbow_left: float = 0.1
    elbow_right: float = 0.1
    leg_left: float = 0.05
    leg_right: float = 0.05
    knee_left: float = 0.0
    knee_right: float = 0.0
    facing: float = 0.0
    """Face turn, -1 (looking image-left) .. 1 (image-right)."""
    smile: float = 0.5
    blush: bool = False
    wind: float = 0.0
    """Sideways sway of scarf ends and hair tips (wind, running)."""


def human_shapes(look: HumanLook, pose: Pose, *, detail: int) -> list[Shape]:
    """All parts of a front-facing human figure, back to front. ``detail``: 0 silhouette, 1 dot eyes, 2 face."""
    sleeve = look.coat or look.dress or look.top
    hands = look.gloves or look.skin
    shapes = _back_hair(look, pose)
    shapes += _legs(look, pose)
    shapes += _body(look)
    shapes += _arms(sleeve, hands, pose, look.build)
    shapes += _accessories(look, pose)
    shapes += _head(look)
    if detail >= 2:
        shapes += face_shapes(look, pose)
    elif detail == 1:
        shapes += _dot_eyes(pose)
    shapes += _front_hair(look, detail)
    return shapes


def human_rear_shapes(look: HumanLook, pose: Pose) -> list[Shape]:
    """The whole figure seen from behind (character-sheet back view): no face, the hair over the head."""
    sleeve = look.coat or look.dress or look.top
    shapes = _legs(look, pose) + _body(look) + _arms(sleeve, look.gloves or look.skin, pose, look.build)
    shapes += _head(look)
    shapes.append(Shape(Ellipse(0, HEAD_CY - HEAD_RY * 0.02, HEAD_RX * 1.12, HEAD_RY * 1.1), look.hair))
    shapes += _back_hair(look, pose)
    if look.hat is not None:
        shapes.append(Shape(Ellipse(0, HEAD_CY - HEAD_RY * 0.55, HEAD_RX * 1.2, HEAD_RY * 0.6), look.hat))
    return shapes


def human_back_shapes(look: HumanLook) -> list[Shape]:
    """A figure seen from behind (over-the-shoulder foreground): shoulders and the back of the head."""
    garment = look.coat or look.dress or look.top
    sw = 0.1 * look.build
    torso = Poly(((-sw, 0.24), (-sw * 0.8, 0.2), (sw * 0.8, 0.2), (sw, 0.24), (0.1, 0.7), (-0.1, 0.7)))
    cap = Ellipse(0, HEAD_CY - 0.004, HEAD_RX * 1.12, HEAD_RY * 1.08)
    shapes = [
        Shape(torso, garment),
        Shape(Capsule((0, 0.15), (0, 0.2), 0.024, 0.026), look.skin),
        Shape(cap, look.hair),
    ]
    if look.scarf:
        shapes.append(Shape(Capsule((-0.045, 0.195), (0.045, 0.195), 0.02, 0.02), look.scarf))
    if look.hat:
        shapes.append(Shape(Ellipse(0, HEAD_CY - HEAD_RY * 0.55, HEAD_RX * 1.2, HEAD_RY * 0.6), look.hat))
    shine = ellipse_points(
        0, HEAD_CY - HEAD_RY * 0.1, HEAD_RX * 0.8, HEAD_RY * 0.75, start=1.15 * math.pi, end=1.55 * math.pi
    )
    shapes.append(Shape(Stroke(tuple(shine), 0.006), lighten(look.hair, 0.3), False, False, alpha=0.7))
    return shapes


def _legs(look: HumanLook, pose: Pose) -> list[Shape]:
    covered = look.skirt is not None or look.dress is not None
    leg_color = look.skin if covered and look.bottom is None else look.bottom
    if covered:
        leg_color = mix(look.skin, look.bottom, 0.5)
    shapes: list[Shape] = []
    for side, angle, knee in ((-1, pose.leg_left, pose.knee_left), (1, pose.leg_right, pose.knee_right)):
        hip = (side * 0.042, 0.5)
        thigh_dir = angle * side
        knee_pt = (hip[0] + math.sin(thigh_dir) * 0.23, hip[1] + math.cos(thigh_dir) * 0.23)
        shin_dir = thigh_dir - knee * side
        ankle = (knee_pt[0] + math.sin(shin_dir) * 0.22, knee_pt[1] + math.cos(shin_dir) * 0.22)
        shapes.append(Shape(Capsule(hip, knee_pt, 0.036, 0.028), leg_color))
        shapes.append(Shape(Capsule(knee_pt, ankle, 0.028, 0.022), leg_color))
        toe = (ankle[0] + side * 0.012, ankle[1] + 0.02)
        shapes.append(Shape(Ellipse(toe[0], toe[1], 0.034, 0.02), look.shoes))
    return shapes


def _torso_poly(sw: float, top: float, waist: float, hem: float, hem_w: float) -> Poly:
    return Poly(
        (
            (-sw, top + 0.022),
            (-sw * 0.82, top),
            (sw * 0.82, top),
            (sw, top + 0.022),
            (sw * 0.8, waist),
            (hem_w, hem),
            (-hem_w, hem),
            (-sw * 0.8, waist),
        )
    )


def _body(look: HumanLook) -> list[Shape]:
    sw = 0.088 * look.build
    shapes: list[Shape] = []
    if look.dress is not None:
        shapes.append(Shape(_torso_poly(sw, SHOULDER_Y - 0.005, 0.4, 0.78, 0.15), look.dress))
    elif look.skirt is not None:
        shapes.append(Shape(Poly(((-0.075, 0.4), (0.075, 0.4), (0.125, 0.62), (-0.125, 0.62))), look.skirt))
    if look.dress is None:
        shapes.append(Shape(_torso_poly(sw, SHOULDER_Y - 0.005, 0.38, 0.51, 0.083), look.top))
    if look.accent is not None and look.coat is None:
        shapes.append(Shape(Poly(((-0.071, 0.4), (0.071, 0.4), (0.074, 0.425), (-0.074, 0.425))), look.accent))
    if look.coat is not None:
        shapes.append(Shape(_torso_poly(sw * 1.06, SHOULDER_Y - 0.008, 0.4, 0.65, 0.115), look.coat))
        seam = darken(look.coat, 0.3)
        shapes.append(Shape(Stroke(((0.0, 0.24), (0.004, 0.645)), 0.006), seam, shaded=False, outlined=False))
        for y in (0.3, 0.38, 0.46):
            shapes.append(Shape(Ellipse(0.016, y, 0.006, 0.006), seam, shaded=False, outlined=False))
    if look.hood and look.coat is not None:
        shapes.append(Shape(Ellipse(0, SHOULDER_Y - 0.012, 0.075, 0.03), darken(look.coat, 0.08)))
    return shapes


def _arms(sleeve: RGB, hands: RGB, pose: Pose, build: float) -> list[Shape]:
    shapes: list[Shape] = []
    for side, angle, bend in ((-1, pose.arm_left, pose.elbow_left), (1, pose.arm_right, pose.elbow_right)):
        shoulder = (side * 0.082 * build, SHOULDER_Y + 0.01)
        a = angle * side
        elbow = (shoulder[0] + math.sin(a) * 0.15, shoulder[1] + math.cos(a) * 0.15)
        b = a + bend * side
        wrist = (elbow[0] + math.sin(b) * 0.14, elbow[1] + math.cos(b) * 0.14)
        shapes.append(Shape(Capsule(shoulder, elbow, 0.027, 0.023), sleeve))
        shapes.append(Shape(Capsule(elbow, wrist, 0.023, 0.021), sleeve))
        shapes.append(Shape(Ellipse(wrist[0], wrist[1] + 0.012, 0.02, 0.022), hands))
    return shapes


def _accessories(look: HumanLook, pose: Pose) -> list[Shape]:
    shapes: list[Shape] = []
    if look.bag is not None:
        strap = darken(look.bag, 0.25)
        shapes.append(Shape(Capsule((-0.07, 0.21), (0.09, 0.45), 0.008, 0.008), strap, shaded=False))
        bag = Poly(((0.075, 0.42), (0.165, 0.42), (0.17, 0.53), (0.07, 0.53)))
        shapes.append(Shape(bag, look.bag))
        shapes.append(Shape(Poly(((0.075, 0.42), (0.165, 0.42), (0.163, 0.46), (0.077, 0.46))), darken(look.bag, 0.1)))
    shapes.append(Shape(Capsule((0, 0.15), (0, 0.205), 0.022, 0.025), look.skin))
    if look.scarf is not None:
        sway = pose.wind * 0.09
        shapes.append(Shape(Capsule((-0.045, 0.195), (0.045, 0.195), 0.022, 0.022), look.scarf))
        shapes.append(Shape(Capsule((0.03, 0.2), (0.045 + sway, 0.31 - abs(sway) * 0.4), 0.02, 0.017), look.scarf))
    return shapes


def _head(look: HumanLook) -> list[Shape]:
    # An egg with a narrower chin reads as anime without drawing a jaw line.
    points: list[Point] = []
    for x, y in ellipse_points(0, 0, HEAD_RX, HEAD_RY):
        taper = 1 - 0.3 * max(0.0, y / HEAD_RY) ** 2
        points.append((x * taper, HEAD_CY + y))
    ears = [
        Shape(Ellipse(s * HEAD_RX * 0.97, HEAD_CY + HEAD_RY * 0.15, 0.011, 0.017), look.skin, False) for s in (-1, 1)
    ]
    # Faces stay flat-lit (as in cel anime); only the neck takes the chin's shadow.
    chin_shadow = Shape(Ellipse(0, HEAD_CY + HEAD_RY * 1.02, 0.024, 0.014), shadow_of(look.skin), False, False)
    return [*ears, chin_shadow, Shape(Poly(tuple(points)), look.skin, False)]


def _dot_eyes(pose: Pose) -> list[Shape]:
    shift = pose.facing * HEAD_RX * 0.22
    return [
        Shape(Ellipse(shift + s * HEAD_RX * 0.4, EYE_LINE, HEAD_RX * 0.12, HEAD_RY * 0.16), (40, 30, 40), False, False)
        for s in (-1, 1)
    ]


def face_shapes(look: HumanLook, pose: Pose) -> list[Shape]:
    """Anime eyes, brows, nose, mouth (and blush) for figures big enough to show a face."""
    shift = pose.facing * HEAD_RX * 0.22
    ink = mix(darken(look.hair, 0.55), (30, 20, 30), 0.5)
    shapes: list[Shape] = []
    for side in (-1, 1):
        ex = shift + side * HEAD_RX * 0.42
        narrow = 1 - 0.25 * max(0.0, -side * pose.facing)  # the far eye turns away
        shapes += _eye(ex, EYE_LINE, HEAD_RX * 0.25 * narrow, HEAD_RY * 0.28, look.eyes, ink, pose.facing)
        brow = ellipse_points(
            ex, EYE_LINE - HEAD_RY * 0.2, HEAD_RX * 0.3, HEAD_RY * 0.42, start=1.22 * math.pi, end=1.78 * math.pi
        )
        shapes.append(Shape(Stroke(tuple(brow), 0.0035), ink, False, False))
        if pose.blush:
            blush = Ellipse(ex + side * HEAD_RX * 0.05, EYE_LINE + HEAD_RY * 0.38, HEAD_RX * 0.2, HEAD_RY * 0.08)
            shapes.append(Shape(blush, (240, 120, 130), False, False, alpha=0.45))
    nose_x = shift * 1.3
    nose_y = HEAD_CY + HEAD_RY * 0.5
    nose = Poly(
        (
            (nose_x, nose_y),
            (nose_x - HEAD_RX * 0.035, nose_y + HEAD_RY * 0.08),
            (nose_x + HEAD_RX * 0.01, nose_y + HEAD_RY * 0.08),
        )
    )
    shapes.append(Shape(nose, darken(look.skin, 0.22), False, False, alpha=0.5))
    mouth_y = HEAD_CY + HEAD_RY * 0.74
    curve = HEAD_RY * 0.1 * (pose.smile - 0.3)
    mouth = ellipse_points(
        shift * 1.2, mouth_y - curve, HEAD_RX * 0.16, abs(curve) + 1e-4, start=0.15 * math.pi, end=0.85 * math.pi
    )
    if curve < 0:
        mouth = [(x, 2 * (mouth_y - curve) - y) for x, y in mouth]
    shapes.append(Shape(Stroke(tuple(mouth), 0.003), mix(ink, (150, 60, 60), 0.4), False, False))
    return shapes


def _eye(ex: float, ey: float, w: float, h: float, iris: RGB, ink: RGB, facing: float) -> list[Shape]:
    look_x = facing * w * 0.25
    lash = ellipse_points(ex, ey + h * 0.2, w * 1.2, h * 1.15, start=1.12 * math.pi, end=1.9 * math.pi)
    inner = list(
        reversed(ellipse_points(ex, ey + h * 0.32, w * 1.08, h * 1.02, start=1.12 * math.pi, end=1.9 * math.pi))
    )
    return [
        Shape(Ellipse(ex, ey + h * 0.12, w, h * 0.85), (250, 248, 252), False, False),
        Shape(Ellipse(ex + look_x, ey + h * 0.15, w * 0.72, h * 0.82), darken(iris, 0.35), False, False),
        Shape(Ellipse(ex + look_x, ey + h * 0.26, w * 0.6, h * 0.66), iris, False, False),
        Shape(Ellipse(ex + look_x, ey + h * 0.5, w * 0.45, h * 0.36), lighten(iris, 0.3), False, False),
        Shape(Ellipse(ex + look_x, ey + h * 0.2, w * 0.3, h * 0.38), darken(iris, 0.7), False, False),
        Shape(Ellipse(ex + look_x - w * 0.28, ey - h * 0.12, w * 0.22, h * 0.2), (255, 255, 255), False, False),
        Shape(Ellipse(ex + look_x + w * 0.25, ey + h * 0.5, w * 0.1, h * 0.09), (255, 255, 255), False, False),
        Shape(Poly(tuple(lash + inner)), ink, False, False),
    ]


def _back_hair(look: HumanLook, pose: Pose) -> list[Shape]:
    hair = darken(look.hair, 0.08)
    top = HEAD_CY - HEAD_RY * 1.08
    style = look.hair_style
    sway = pose.wind * 0.05
    if style == "bob":
        # Rounded sides that tuck in towards a blunt cut at the jaw, so it never reads as a helmet.
        bottom = HEAD_CY + HEAD_RY * 0.92
        arc = ellipse_points(0, HEAD_CY, HEAD_RX * 1.2, HEAD_RY * 1.1, start=math.pi, end=2 * math.pi)
        lower = ellipse_points(0, HEAD_CY, HEAD_RX * 1.2, (bottom - HEAD_CY) * 1.3, start=0, end=math.pi)
        body = [*arc, *((x + sway * (y - HEAD_CY) / 0.1, min(y, bottom)) for x, y in lower)]
        return [Shape(Poly(tuple(body)), hair)]
    if style == "long":
        bottom, width = 0.42, HEAD_RX * 1.3
        arc = ellipse_points(0, HEAD_CY, width, HEAD_RY * 1.1, start=math.pi, end=2 * math.pi)
        body = [*arc, (width * 1.15 + sway, bottom), (sway, bottom + 0.01), (-width * 1.15 + sway, bottom)]
        return [Shape(Poly(tuple(body)), hair)]
    if style == "ponytail":
        base = (HEAD_RX * 0.75, HEAD_CY - HEAD_RY * 0.55)
        tip = (HEAD_RX * 1.6 + pose.wind * 0.05, 0.3)
        return [Shape(Capsule(base, tip, 0.03, 0.012), hair), Shape(Ellipse(base[0], base[1], 0.028, 0.03), hair)]
    if style == "twintails":
        tails = []
        for s in (-1, 1):
            base = (s * HEAD_RX * 1.0, HEAD_CY - HEAD_RY * 0.5)
            tip = (s * HEAD_RX * 1.9 + pose.wind * 0.05, 0.36)
            tails.append(Shape(Capsule(base, tip, 0.032, 0.014), hair))
        return tails
    return [Shape(Ellipse(0, HEAD_CY - HEAD_RY * 0.06, HEAD_RX * 1.12, (HEAD_CY - top) * 0.98), hair)]


def _front_hair(look: HumanLook, detail: int) -> list[Shape]:
    cx, cy, rx, ry = 0.0, HEAD_CY, HEAD_RX * 1.1, HEAD_RY * 1.1
    cap = ellipse_points(cx, cy - HEAD_RY * 0.02, rx, ry, start=math.pi * 0.98, end=math.pi * 2.02)
    # Bangs: a zig-zag fringe across the forehead, between the temples.
    fringe: list[Point] = []
    tips = 5
    for i in range(tips * 2 + 1):
        t = i / (tips * 2)
        x = rx * (1 - 2 * t)
        low = i % 2 == 1
        y = cy - HEAD_RY * (0.05 if low else 0.32) + (HEAD_RY * 0.1 if low and i in (3, 7) else 0.0)
        fringe.append((x * 0.98, y))
    shapes = [Shape(Poly(tuple(cap + fringe)), look.hair)]
    if look.hair_style in {"bob", "long", "twintails"}:
        for s in (-1, 1):
            lock = Capsule((s * rx * 0.9, cy - HEAD_RY * 0.3), (s * rx * 0.86, cy + HEAD_RY * 0.75), 0.016, 0.01)
            shapes.append(Shape(lock, look.hair))
    if look.hair_style == "spiky":
        for i in range(5):
            a = math.pi * (1.15 + 0.175 * i)
            base = (cx + rx * 0.9 * math.cos(a), cy + ry * 0.9 * math.sin(a))
            tip = (cx + rx * 1.45 * math.cos(a), cy + ry * 1.35 * math.sin(a))
            shapes.append(Shape(Capsule(base, tip, 0.02, 0.003), look.hair))
    if detail >= 2:
        shine = ellipse_points(
            cx - rx * 0.15, cy - HEAD_RY * 0.55, rx * 0.55, ry * 0.22, start=1.1 * math.pi, end=1.6 * math.pi
        )
        shapes.append(Shape(Stroke(tuple(shine), 0.006), lighten(look.hair, 0.35), False, False, alpha=0.8))
    if look.hat is not None:
        crown = ellipse_points(cx, cy - HEAD_RY * 0.35, rx * 1.02, ry * 0.75, start=math.pi, end=2 * math.pi)
        shapes.append(Shape(Poly(tuple(crown)), look.hat))
        shapes.append(Shape(Ellipse(cx, cy - HEAD_RY * 0.38, rx * 1.35, HEAD_RY * 0.16), darken(look.hat, 0.1)))
    return shapes
