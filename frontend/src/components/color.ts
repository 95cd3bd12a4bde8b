/** Colour helpers shared by swatches, pickers and the palette editor. */

const HEX6 = /^#[0-9a-f]{6}$/i
const HEX3 = /^#?([0-9a-f])([0-9a-f])([0-9a-f])$/i

export function isHex(value: string): boolean {
  return HEX6.test(value.trim())
}

/** `#ABC`, `abc`, `aabbcc` → `#aabbcc`; anything else → null. */
export function normalizeHex(value: string): string | null {
  const text = value.trim()
  const short = HEX3.exec(text)
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase()
  const long = text.startsWith('#') ? text : `#${text}`
  return HEX6.test(long) ? long.toLowerCase() : null
}

/** A value a swatch can paint: hex or any CSS colour name ("crimson"); null if not a colour. */
export function cssColor(value: string): string | null {
  const text = value.trim()
  if (!text) return null
  const hex = normalizeHex(text)
  if (hex) return hex
  if (typeof CSS !== 'undefined' && typeof CSS.supports === 'function' && CSS.supports('color', text)) return text
  return null
}

/** Perceived lightness 0–1, to pick readable text on a swatch. */
export function luminance(hex: string): number {
  const value = normalizeHex(hex)
  if (!value) return 0
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(value.slice(i, i + 2), 16) / 255) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}
