/** The character editor's "Draft from design prompt": drafts into the form (unsaved), only from a saved prompt. */
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Character } from '@/api/types'

vi.mock('@/features/characters/api', async (original) => ({ ...(await original<object>()), draftAppearance: vi.fn() }))

const charactersApi = await import('@/features/characters/api')
const { useAuthStore } = await import('@/features/auth/store')
const { default: CharacterEditor } = await import('@/features/characters/CharacterEditor.vue')

const mika = {
  id: 1, project_id: 1, name: 'Mika', slug: 'mika', role: '', description: '',
  design_prompt: '1girl, short black bob, yellow raincoat',
  appearance_data: { species: 'human', key_colors: {}, key_features: [], common_errors: [] },
  swatches: {},
  voice: { voice: 'en-us', pitch: 50, rate: 170, volume: 100 }, created_at: '', updated_at: '',
} as Character

function editor() {
  return mount(CharacterEditor, { props: { character: mika }, global: { stubs: { ReferenceImages: true } }, attachTo: document.body })
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.clearAllMocks()
  useAuthStore().user = { id: 1, username: 'e', role: 'editor', is_active: true, created_at: '', last_login_at: null }
})

describe('draft appearance from the design prompt', () => {
  it('fills the form with the drafted appearance and leaves it unsaved', async () => {
    vi.mocked(charactersApi.draftAppearance).mockResolvedValue({
      species: 'human', key_colors: { raincoat: 'yellow', hair: 'black' }, key_features: ['short black bob'], common_errors: ['wrong raincoat colour'],
    })
    const wrapper = editor()
    const emitted = () => wrapper.emitted('update:dirty')?.at(-1)
    await wrapper.get('[data-testid="draft-appearance"]').trigger('click')
    await flushPromises()
    expect(charactersApi.draftAppearance).toHaveBeenCalledWith(1)
    const inputs = wrapper.get('[data-testid="appearance-editor"]').findAll('input').map((input) => input.element.value)
    expect(inputs).toContain('raincoat')
    expect(inputs).toContain('yellow')
    expect(wrapper.get('[data-testid="appearance-editor"]').text()).toContain('short black bob')
    expect(emitted()).toEqual([true])
    wrapper.unmount()
  })

  it('waits for an edited design prompt to be saved', async () => {
    const wrapper = editor()
    await wrapper.get('textarea[placeholder^="1girl"]').setValue('1girl, long red hair')
    const button = wrapper.get('[data-testid="draft-appearance"]')
    expect(button.attributes('disabled')).toBeDefined()
    expect(button.attributes('title')).toContain('Save the design prompt first')
    await button.trigger('click')
    expect(charactersApi.draftAppearance).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('is not offered to reviewers', () => {
    useAuthStore().user = { id: 2, username: 'r', role: 'reviewer', is_active: true, created_at: '', last_login_at: null }
    const wrapper = editor()
    expect(wrapper.find('[data-testid="draft-appearance"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
