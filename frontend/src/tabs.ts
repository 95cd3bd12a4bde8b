/** The studio's tabs in the spec's order (Approve and Train join when they exist); new tabs add themselves here. */
import type { Component } from 'vue'
import type { RouteLocationRaw } from 'vue-router'

export type TabKey = 'project' | 'story' | 'characters' | 'generate' | 'approve' | 'train' | 'scenes' | 'episodes' | 'gallery' | 'echo'

export const TAB_ROUTES: readonly { tab: TabKey; label: string; name: string }[] = [
  { tab: 'project', label: 'Project', name: 'project' },
  { tab: 'story', label: 'Story & World', name: 'story' },
  { tab: 'characters', label: 'Characters', name: 'characters' },
  { tab: 'generate', label: 'Generate', name: 'generate' },
  { tab: 'approve', label: 'Approve', name: 'approve' },
  { tab: 'train', label: 'Train', name: 'train' },
  { tab: 'scenes', label: 'Scenes', name: 'scenes' },
  { tab: 'episodes', label: 'Episodes', name: 'episodes' },
  { tab: 'gallery', label: 'Gallery', name: 'gallery' },
  { tab: 'echo', label: 'Echo Brain', name: 'echo' },
]

export interface TabItem {
  label: string
  to: RouteLocationRaw
  icon?: Component
  active: boolean
  disabled?: boolean
}
