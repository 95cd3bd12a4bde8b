import { describe, expect, it } from 'vitest'
import type { CharacterPrompt } from '@/api/types'
import { negativeTerms, positiveTerms, splitTerms } from '@/features/characters/prompt'

const prompt: CharacterPrompt = {
  character_id: 2,
  project_id: 1,
  positive: 'masterpiece, best quality, small round lantern, (glowing, warm:1.2)',
  negative: 'lowres, blurry, photorealistic, human, human face, arms, clothes',
  is_human: false,
  checkpoint_model: '',
  parts: {
    quality_tags: 'masterpiece, best quality',
    design_prompt: 'small round lantern, (glowing, warm:1.2)',
    base_negative: 'lowres, blurry',
    world_negative: 'photorealistic',
    species_negative: ['human', 'human face'],
    common_errors: ['Arms', 'clothes'],
  },
}

describe('composed prompt terms', () => {
  it('splits outside brackets only', () => {
    expect(splitTerms('a, (b, c:1.2),\n d ,, ')).toEqual(['a', '(b, c:1.2)', 'd'])
  })

  it('tags each negative term with its source', () => {
    expect(negativeTerms(prompt).map((t) => `${t.text}:${t.source}`)).toEqual([
      'lowres:base',
      'blurry:base',
      'photorealistic:world',
      'human:species',
      'human face:species',
      'arms:error',
      'clothes:error',
    ])
  })

  it('separates quality tags from the design prompt', () => {
    expect(positiveTerms(prompt).map((t) => t.source)).toEqual(['quality', 'quality', 'design', 'design'])
  })
})
