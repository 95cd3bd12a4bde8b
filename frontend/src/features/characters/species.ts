/**
 * The "(NOT human)" marker in `appearance_data.species`: the backend adds human-anatomy negatives
 * to any species containing "NOT human" (case-insensitive). The toggle manages that marker.
 */

export const NON_HUMAN_MARKER = '(NOT human)'
const MARKER_PATTERN = /\s*\(?\s*not\s+human\s*\)?/gi

export function isNonHuman(species: string): boolean {
  return /not\s+human/i.test(species)
}

/** The species without the marker: "lantern spirit (NOT human)" → "lantern spirit". */
export function baseSpecies(species: string): string {
  return species.replace(MARKER_PATTERN, '').replace(/\s{2,}/g, ' ').trim()
}

/** Add or remove the marker, keeping the rest of the species text. */
export function withNonHuman(species: string, nonHuman: boolean): string {
  const base = baseSpecies(species)
  if (!nonHuman) return base || 'human'
  const creature = base && base.toLowerCase() !== 'human' ? base : 'creature'
  return `${creature} ${NON_HUMAN_MARKER}`
}
