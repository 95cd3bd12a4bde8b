/** The studio's tabs that exist today, in the spec's order; later tabs add themselves here. */
import type { Component } from 'vue'
import type { RouteLocationRaw } from 'vue-router'

export type TabKey = 'project' | 'story' | 'characters'

export const TAB_ROUTES: readonly { tab: TabKey; label: string; name: string }[] = [
  { tab: 'project', label: 'Project', name: 'project' },
  { tab: 'story', label: 'Story & World', name: 'story' },
  { tab: 'characters', label: 'Characters', name: 'characters' },
]

export interface TabItem {
  label: string
  to: RouteLocationRaw
  icon?: Component
  active: boolean
  disabled?: boolean
}
