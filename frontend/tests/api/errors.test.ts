import { describe, expect, it } from 'vitest'
import { ApiError, describeDetail, fieldLabel, networkError } from '@/api/errors'

describe('describeDetail', () => {
  it('keeps a server sentence, capitalised', () => {
    expect(describeDetail('current password is wrong', 422)).toBe('Current password is wrong')
  })

  it('explains one pydantic issue with the field name', () => {
    const detail = [{ loc: ['body', 'width'], msg: 'Input should be a multiple of 8', type: 'multiple_of' }]
    expect(describeDetail(detail, 422)).toBe('Width must be a multiple of 8.')
  })

  it('lists several issues in plain words', () => {
    const detail = [
      { loc: ['body', 'name'], msg: 'Field required', type: 'missing' },
      { loc: ['body', 'content_rating'], msg: "String should match pattern '^(G|PG)$'", type: 'string_pattern_mismatch' },
      { loc: ['body', 'steps'], msg: 'Input should be greater than or equal to 1', type: 'greater_than_equal' },
    ]
    expect(describeDetail(detail, 422)).toBe(
      'Please check: Name is required; Content rating has characters or a format that is not allowed; Steps must be greater than or equal to 1.',
    )
  })

  it('names nested palette entries and explains hex colours', () => {
    const detail = [
      {
        loc: ['body', 'color_palette', 'primary', 1],
        msg: "String should match pattern '^#[0-9A-Fa-f]{6}$'",
        type: 'string_pattern_mismatch',
      },
    ]
    expect(describeDetail(detail, 422)).toBe('Color palette › primary › item 2 must be a hex colour like #ff3366.')
  })

  it('says "cannot be empty" for a blank required text', () => {
    const detail = [{ loc: ['body', 'name'], msg: 'String should have at least 1 character', type: 'string_too_short' }]
    expect(describeDetail(detail, 422)).toBe('Name cannot be empty.')
  })

  it('caps a long list', () => {
    const detail = Array.from({ length: 6 }, (_, i) => ({ loc: ['body', `f${i}`], msg: 'Field required', type: 'missing' }))
    expect(describeDetail(detail, 422)).toMatch(/\(and 2 more\)$/)
  })

  it('falls back to the status when there is no detail', () => {
    expect(describeDetail(undefined, 403)).toBe('You do not have permission to do that.')
    expect(describeDetail(null, 500)).toBe('The studio ran into a problem (error 500). Try again in a moment.')
    expect(describeDetail({}, 418)).toBe('The request failed (error 418).')
  })
})

describe('ApiError.from', () => {
  it('maps validation issues to form field keys', () => {
    const error = ApiError.from(422, {
      detail: [
        { loc: ['body', 'appearance_data', 'species'], msg: 'Field required', type: 'missing' },
        { loc: ['body', 'voice', 'pitch'], msg: 'Input should be less than or equal to 99', type: 'less_than_equal' },
      ],
    })
    expect(error.status).toBe(422)
    expect(error.fieldErrors).toEqual({
      'appearance_data.species': 'Is required',
      'voice.pitch': 'Must be less than or equal to 99',
    })
  })

  it('handles non-JSON bodies', () => {
    expect(ApiError.from(502, 'Bad gateway').message).toBe('The studio server is not reachable right now.')
  })
})

describe('fieldLabel and networkError', () => {
  it('drops the location root and humanises names', () => {
    expect(fieldLabel(['query', 'limit'])).toBe('Limit')
    expect(fieldLabel(['body'])).toBe('')
  })

  it('says the server is unreachable for failed fetches', () => {
    expect(networkError(new TypeError('Failed to fetch')).message).toMatch(/Cannot reach the studio server/)
    expect(networkError(new DOMException('x', 'AbortError')).message).toBe('The request was cancelled.')
  })
})
