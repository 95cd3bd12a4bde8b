import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { computed, defineComponent, h, nextTick, ref } from 'vue'
import ModalDialog from '@/components/ModalDialog.vue'
import { useSaveShortcut } from '@/composables/useSaveShortcut'

function form(name: string, save: () => void, dirty = true) {
  return defineComponent({
    setup() {
      const root = ref<HTMLElement | null>(null)
      useSaveShortcut(root, computed(() => dirty), save)
      return () => h('div', { ref: root, 'data-form': name }, [h('input', { id: `${name}-input` })])
    },
  })
}

function pressSave(): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key: 's', ctrlKey: true, cancelable: true })
  window.dispatchEvent(event)
  return event
}

describe('Ctrl/Cmd+S', () => {
  it('saves the form holding the focus', async () => {
    const saveA = vi.fn()
    const saveB = vi.fn()
    const Page = defineComponent({ setup: () => () => h('div', [h(form('a', saveA)), h(form('b', saveB))]) })
    const wrapper = mount(Page, { attachTo: document.body })
    ;(document.getElementById('b-input') as HTMLInputElement).focus()
    const event = pressSave()
    expect(event.defaultPrevented).toBe(true)
    expect(saveB).toHaveBeenCalledTimes(1)
    expect(saveA).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('saves every dirty form when the focus is elsewhere', () => {
    const saveA = vi.fn()
    const saveB = vi.fn()
    const Page = defineComponent({ setup: () => () => h('div', [h(form('a', saveA)), h(form('b', saveB, false))]) })
    const wrapper = mount(Page, { attachTo: document.body })
    ;(document.activeElement as HTMLElement | null)?.blur()
    pressSave()
    expect(saveA).toHaveBeenCalledTimes(1)
    expect(saveB).not.toHaveBeenCalled()
    wrapper.unmount()
  })

  it('stands down while a dialog is open, and Esc closes the dialog', async () => {
    const save = vi.fn()
    const open = ref(true)
    const Page = defineComponent({
      setup: () => () =>
        h('div', [
          h(form('a', save)),
          h(ModalDialog, { open: open.value, 'onUpdate:open': (v: boolean) => (open.value = v), title: 'Dialog' }, () => 'body'),
        ]),
    })
    const wrapper = mount(Page, { attachTo: document.body })
    await nextTick()
    pressSave()
    expect(save).not.toHaveBeenCalled()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', cancelable: true }))
    expect(open.value).toBe(false)
    await nextTick()
    pressSave()
    expect(save).toHaveBeenCalledTimes(1)
    wrapper.unmount()
  })
})
