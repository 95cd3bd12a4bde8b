"""Colour helpers: parsing user colours (hex or CSS names), mixing, shading."""

from __future__ import annotations

import colorsys
import hashlib

from anime_studio.engines.colors import RGB as RGB
from anime_studio.engines.colors import parse_color as parse_color

WHITE: RGB = (255, 255, 255)
BLACK: RGB = (0, 0, 0)


def color_from_name(name: str, saturation: float = 0.55, lightness: float = 0.55) -> RGB:
    """A stable colour derived from a name, for parts the user gave no (or an unreadable) colour."""
    digest = hashlib.sha256(name.encode()).digest()
    return hls(digest[0] / 255, lightness, saturation)


def to_color(value: str, fallback_name: str) -> RGB:
    """``parse_color`` or the stable colour of ``fallback_name``."""
    return parse_color(value) or color_from_name(fallback_name)


def hls(hue: float, lightness: float, saturation: float) -> RGB:
    """An RGB colour from hue/lightness/saturation in 0..1."""
    r, g, b = colorsys.hls_to_rgb(hue % 1.0, _unit(lightness), _unit(saturation))
    return (round(r * 255), round(g * 255), round(b * 255))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Linear blend from ``a`` (t=0) to ``b`` (t=1)."""
    t = _unit(t)
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def scale(color: RGB, factors: tuple[float, float, float]) -> RGB:
    """Multiply each channel (a coloured light)."""
    return (
        _byte(color[0] * factors[0]),
        _byte(color[1] * factors[1]),
        _byte(color[2] * factors[2]),
    )


def darken(color: RGB, amount: float) -> RGB:
    """Towards black by ``amount`` (0..1)."""
    return mix(color, BLACK, amount)


def lighten(color: RGB, amount: float) -> RGB:
    """Towards white by ``amount`` (0..1)."""
    return mix(color, WHITE, amount)


def luminance(color: RGB) -> float:
    """Relative brightness 0..1 (Rec. 601 weights, good enough to pick contrasting ink)."""
    return (0.299 * color[0] + 0.587 * color[1] + 0.114 * color[2]) / 255


def adjust(color: RGB, *, saturation: float = 1.0, lightness: float = 0.0) -> RGB:
    """Scale saturation and shift lightness (both in HLS)."""
    h, light, s = colorsys.rgb_to_hls(color[0] / 255, color[1] / 255, color[2] / 255)
    return hls(h, light + lightness, s * saturation)


def shadow_of(color: RGB, cool: RGB = (70, 60, 120)) -> RGB:
    """The cel-shadow tone of a colour: darker and pulled towards a cool violet, as anime shading does."""
    return mix(darken(color, 0.2), cool, 0.1)


def ink_of(color: RGB) -> RGB:
    """Line-art colour for a fill: a deep shade of the same hue rather than flat black."""
    return mix(darken(color, 0.7), (30, 24, 40), 0.5)


def with_alpha(color: RGB, alpha: float) -> tuple[int, int, int, int]:
    """RGBA with alpha given as 0..1."""
    return (color[0], color[1], color[2], _byte(alpha * 255))


def to_hex(color: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*color)


def _unit(value: float) -> float:
    return min(1.0, max(0.0, value))


def _byte(value: float) -> int:
    return min(255, max(0, round(value)))
