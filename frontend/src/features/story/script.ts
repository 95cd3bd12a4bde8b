/** Light reading of a script for the editor's status line (the backend does the real breakdown). */

const SCENE_HEADING = /^(?:\.(?!\.)\S|(?:INT|EXT|EST|INT\.?\/EXT|I\/E)[.\s])/i

export function scriptStats(text: string): { words: number; scenes: number } {
  const words = text.trim() ? text.trim().split(/\s+/).length : 0
  const scenes = text.split('\n').filter((line) => SCENE_HEADING.test(line.trim())).length
  return { words, scenes }
}

/** True when the text has Fountain scene headings (rather than plain prose). */
export function looksLikeFountain(text: string): boolean {
  return scriptStats(text).scenes > 0
}
