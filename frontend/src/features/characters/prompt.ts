/** Read a composed prompt back into terms so the preview can mark where each came from. */
import type { CharacterPrompt } from '@/api/types'

export type TermSource = 'species' | 'error' | 'world' | 'base' | 'quality' | 'design' | 'other'

export interface Term {
  text: string
  source: TermSource
}

/** Split on commas and newlines outside brackets (like the backend), so "(a, b:1.2)" stays one term. */
export function splitTerms(text: string): string[] {
  const terms: string[] = []
  let depth = 0
  let current = ''
  for (const char of text) {
    if ('([{'.includes(char)) depth += 1
    else if (')]}'.includes(char)) depth = Math.max(0, depth - 1)
    if ((char === ',' || char === '\n') && depth === 0) {
      terms.push(current)
      current = ''
    } else current += char
  }
  terms.push(current)
  return terms.map((t) => t.trim()).filter(Boolean)
}

function keyed(terms: string[]): Set<string> {
  return new Set(terms.map((t) => t.trim().toLowerCase()))
}

/** The negative prompt's terms, each tagged with the part it came from (species and errors win). */
export function negativeTerms(prompt: CharacterPrompt): Term[] {
  const species = keyed(prompt.parts.species_negative)
  const errors = keyed(prompt.parts.common_errors)
  const world = keyed(splitTerms(prompt.parts.world_negative))
  const base = keyed(splitTerms(prompt.parts.base_negative))
  return splitTerms(prompt.negative).map((text) => {
    const key = text.toLowerCase()
    const source: TermSource = species.has(key)
      ? 'species'
      : errors.has(key)
        ? 'error'
        : world.has(key)
          ? 'world'
          : base.has(key)
            ? 'base'
            : 'other'
    return { text, source }
  })
}

/** The positive prompt's terms: quality tags from the style, the rest from the design prompt. */
export function positiveTerms(prompt: CharacterPrompt): Term[] {
  const design = keyed(splitTerms(prompt.parts.design_prompt))
  const quality = keyed(splitTerms(prompt.parts.quality_tags.replace('{prompt}', '')))
  return splitTerms(prompt.positive).map((text) => {
    const key = text.toLowerCase()
    const source: TermSource = design.has(key) ? 'design' : quality.has(key) ? 'quality' : 'other'
    return { text, source }
  })
}
