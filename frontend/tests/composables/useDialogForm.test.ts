/** Modal forms: fresh fields per opening, the required field, API errors keep the dialog open, success closes it. */
import { nextTick, ref } from 'vue'
import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/errors'
import { useDialogForm } from '@/composables/useDialogForm'

function setup(save: (form: { title: string; mood: string }) => Promise<number>) {
  const open = ref(false)
  const saved = vi.fn()
  let opened = 0
  const dialog = useDialogForm({
    open,
    initial: () => ({ title: '', mood: `mood ${++opened}` }),
    required: { field: 'title', message: 'Give it a title.' },
    save,
    saved,
  })
  return { open, saved, ...dialog }
}

describe('useDialogForm', () => {
  it('starts from fresh fields each time the dialog opens', async () => {
    const { open, form, error } = setup(async () => 1)
    open.value = true
    await nextTick()
    form.title = 'draft'
    error.value = 'old failure'
    open.value = false
    await nextTick()
    open.value = true
    await nextTick()
    expect(form).toEqual({ title: '', mood: 'mood 3' }) // set up, first opening, second opening
    expect(error.value).toBeNull()
  })

  it('asks for the required field without calling the API', async () => {
    const save = vi.fn(async () => 1)
    const { open, form, fieldErrors, submit } = setup(save)
    open.value = true
    await nextTick()
    form.title = '   '
    await submit()
    expect(save).not.toHaveBeenCalled()
    expect(fieldErrors.value).toEqual({ title: 'Give it a title.' })
    expect(open.value).toBe(true)
  })

  it('keeps the dialog open with the API’s message and field errors when saving fails', async () => {
    const { open, form, error, fieldErrors, saving, saved, submit } = setup(async () => {
      throw new ApiError(409, 'a scene with this title exists', { title: 'already taken' })
    })
    open.value = true
    await nextTick()
    form.title = 'Rooftop'
    await submit()
    expect(open.value).toBe(true)
    expect(error.value).toBe('a scene with this title exists')
    expect(fieldErrors.value).toEqual({ title: 'already taken' })
    expect(saving.value).toBe(false)
    expect(saved).not.toHaveBeenCalled()
  })

  it('saves the fields once, closes, then hands over the result', async () => {
    let release: (value: number) => void = () => undefined
    const save = vi.fn(() => new Promise<number>((resolve) => (release = resolve)))
    const { open, form, saving, saved, submit } = setup(save)
    open.value = true
    await nextTick()
    form.title = 'Rooftop'
    const first = submit()
    expect(saving.value).toBe(true)
    await submit() // a double click while saving sends nothing
    release(7)
    await first
    expect(save).toHaveBeenCalledTimes(1)
    expect(save).toHaveBeenCalledWith(expect.objectContaining({ title: 'Rooftop' }))
    expect(open.value).toBe(false)
    expect(saved).toHaveBeenCalledWith(7)
  })
})
