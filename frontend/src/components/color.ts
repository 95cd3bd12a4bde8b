/** Colour helpers shared by swatches, pickers and the palette editor. */
import { ref } from 'vue'
import { api, unwrap } from '@/api/http'

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

/** The studio's colour words beyond CSS (cream, golden, amber, …) as hex, from `GET /colors` (read once). */
const studioWords = ref<Record<string, string>>({})
let loading: Promise<void> | null = null

export function loadColorWords(): Promise<void> {
  loading ??= (async () => {
    try {
      studioWords.value = (await unwrap(api().GET('/api/lora/colors'))).words
    } catch {
      loading = null // signed out or offline: CSS names still paint; try again next time
    }
  })()
  return loading
}

/** For tests and for servers that answer later. */
export function setColorWords(words: Record<string, string>): void {
  studioWords.value = words
}

function browserColor(text: string): string | null {
  if (typeof CSS !== 'undefined' && typeof CSS.supports === 'function' && CSS.supports('color', text)) return text
  return null
}

/**
 * A value a swatch can paint: hex, a CSS colour name ("crimson"), a studio colour word ("cream"), or the
 * last colour word of a phrase ("dusty rose"), as the studio reads it; null if it names no colour.
 */
export function cssColor(value: string): string | null {
  const text = value.trim().toLowerCase()
  if (!text) return null
  const hex = normalizeHex(text)
  if (hex) return hex
  const whole = studioWords.value[text] ?? browserColor(text)
  if (whole) return whole
  const words = text.match(/[a-z]+/g) ?? []
  for (const word of words.reverse()) {
    const found = studioWords.value[word] ?? browserColor(word)
    if (found) return found
  }
  return null
}

/** Perceived lightness 0–1, to pick readable text on a swatch. */
export function luminance(hex: string): number {
  const value = normalizeHex(hex)
  if (!value) return 0
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(value.slice(i, i + 2), 16) / 255) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}
