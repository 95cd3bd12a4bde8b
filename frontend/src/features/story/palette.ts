/** The world's colour palette: four named roles of hex lists, plus any extra keys kept as they are. */
import type { ColorPalette } from '@/api/types'
import { normalizeHex } from '@/components/color'

export const PALETTE_ROLES = [
  { key: 'primary', label: 'Primary', description: 'Dominant colours of characters and sets' },
  { key: 'secondary', label: 'Secondary', description: 'Supporting colours' },
  { key: 'accent', label: 'Accent', description: 'Highlights, props, lights' },
  { key: 'background', label: 'Background', description: 'Skies, walls, ambient tones' },
] as const

export type PaletteRole = (typeof PALETTE_ROLES)[number]['key']
export const MAX_COLORS_PER_ROLE = 16

/** A complete palette from whatever the server stored (missing roles → empty lists, bad entries dropped). */
export function normalizePalette(raw: Record<string, unknown> | null | undefined): ColorPalette {
  const source = raw ?? {}
  const palette: ColorPalette = { ...source, primary: [], secondary: [], accent: [], background: [] }
  for (const { key } of PALETTE_ROLES) {
    const list = source[key]
    palette[key] = Array.isArray(list)
      ? list.flatMap((value) => (typeof value === 'string' && normalizeHex(value) ? [normalizeHex(value)!] : []))
      : []
  }
  return palette
}

function colors(palette: ColorPalette, role: PaletteRole): string[] {
  return palette[role] ?? []
}

/** A palette with `color` appended to `role` (no-op when the role is full). */
export function addColor(palette: ColorPalette, role: PaletteRole, color: string): ColorPalette {
  const hex = normalizeHex(color) ?? '#808080'
  const list = colors(palette, role)
  if (list.length >= MAX_COLORS_PER_ROLE) return palette
  return { ...palette, [role]: [...list, hex] }
}

export function removeColor(palette: ColorPalette, role: PaletteRole, index: number): ColorPalette {
  return { ...palette, [role]: colors(palette, role).filter((_, i) => i !== index) }
}

/** Replace one colour; the text is kept as typed (validation shows it) until it is a valid hex. */
export function setColor(palette: ColorPalette, role: PaletteRole, index: number, color: string): ColorPalette {
  const list = [...colors(palette, role)]
  list[index] = normalizeHex(color) ?? color
  return { ...palette, [role]: list }
}

/** Roles holding something that is not a `#rrggbb` colour (the server would refuse them). */
export function invalidRoles(palette: ColorPalette): PaletteRole[] {
  return PALETTE_ROLES.filter(({ key }) => colors(palette, key).some((c) => !/^#[0-9a-f]{6}$/i.test(c))).map((r) => r.key)
}

/** A fresh colour for a role: a slightly shifted copy of its last colour, so new swatches look related. */
export function suggestColor(palette: ColorPalette, role: PaletteRole): string {
  const last = colors(palette, role).at(-1)
  const hex = last ? normalizeHex(last) : null
  if (!hex) return role === 'background' ? '#1e2433' : '#8b7cf8'
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
  const shifted = channels.map((c, i) => Math.max(0, Math.min(255, c + (i === 0 ? 24 : i === 1 ? -12 : 16))))
  return `#${shifted.map((c) => c.toString(16).padStart(2, '0')).join('')}`
}
