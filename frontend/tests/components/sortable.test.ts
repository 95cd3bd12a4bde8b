import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { h } from 'vue'
import SortableList from '@/components/SortableList.vue'
import { moveItem } from '@/components/sortable'

const items = [
  { id: 11, title: 'Harbour' },
  { id: 12, title: 'Shop' },
  { id: 13, title: 'Pier' },
]

/** A list whose rows show their title and expose the slot's move buttons. */
function mountList(props: Record<string, unknown> = {}) {
  return mount(SortableList, {
    props: { items, label: 'Scenes', ...props },
    slots: {
      default: (scope: { item: { id: number }; move: (step: number) => void }) =>
        h('div', [items.find((i) => i.id === scope.item.id)?.title, h('button', { class: 'up', onClick: () => scope.move(-1) }), h('button', { class: 'down', onClick: () => scope.move(1) })]),
    },
  })
}

/** A DataTransfer stand-in (happy-dom's drag events carry none). */
function dragEvent(type: string) {
  const data = new Map<string, string>()
  return { type, dataTransfer: { effectAllowed: '', dropEffect: '', setData: (k: string, v: string) => data.set(k, v), getData: (k: string) => data.get(k) ?? '' } }
}

describe('moveItem', () => {
  it('moves one item and leaves the input alone', () => {
    const list = ['a', 'b', 'c', 'd']
    expect(moveItem(list, 0, 2)).toEqual(['b', 'c', 'a', 'd'])
    expect(moveItem(list, 3, 0)).toEqual(['d', 'a', 'b', 'c'])
    expect(moveItem(list, 1, 1)).toEqual(list)
    expect(moveItem(list, 0, 9)).toEqual(list)
    expect(list).toEqual(['a', 'b', 'c', 'd'])
  })
})

describe('SortableList', () => {
  it('emits the new order when an item is dropped on another', async () => {
    const wrapper = mountList()
    const rows = wrapper.findAll('li')
    await rows[0]!.trigger('dragstart', dragEvent('dragstart'))
    await rows[2]!.trigger('dragover', dragEvent('dragover'))
    expect(rows[2]!.classes()).toContain('ring-2') // the drop target is marked
    await rows[2]!.trigger('drop', dragEvent('drop'))
    expect(wrapper.emitted('reorder')).toEqual([[[12, 13, 11]]])

    await rows[2]!.trigger('dragstart', dragEvent('dragstart'))
    await rows[0]!.trigger('dragover', dragEvent('dragover'))
    await rows[0]!.trigger('drop', dragEvent('drop'))
    expect(wrapper.emitted('reorder')?.[1]).toEqual([[13, 11, 12]])
  })

  it('does not emit for a drop in place or a drag from elsewhere', async () => {
    const wrapper = mountList()
    const rows = wrapper.findAll('li')
    await rows[1]!.trigger('dragstart', dragEvent('dragstart'))
    await rows[1]!.trigger('drop', dragEvent('drop'))
    await rows[0]!.trigger('drop', dragEvent('drop')) // no drag in progress any more
    expect(wrapper.emitted('reorder')).toBeUndefined()
  })

  it('moves with the keyboard-friendly buttons the slot gets', async () => {
    const wrapper = mountList()
    await wrapper.findAll('.down')[0]!.trigger('click')
    await wrapper.findAll('.up')[2]!.trigger('click')
    await wrapper.findAll('.up')[0]!.trigger('click') // already first: nothing
    expect(wrapper.emitted('reorder')).toEqual([[[12, 11, 13]], [[11, 13, 12]]])
  })

  it('cannot be dragged while disabled', async () => {
    const wrapper = mountList({ disabled: true })
    const rows = wrapper.findAll('li')
    expect(rows[0]!.attributes('draggable')).toBe('false')
    await rows[0]!.trigger('dragstart', dragEvent('dragstart'))
    await rows[1]!.trigger('dragover', dragEvent('dragover'))
    await rows[1]!.trigger('drop', dragEvent('drop'))
    expect(wrapper.emitted('reorder')).toBeUndefined()
  })
})
