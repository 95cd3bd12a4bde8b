/**
 * Start the real studios the browser tests use (each on its own data dir, stopped afterwards): one at `/`, one
 * at `/anime-studio`, and a fresh one each for the newcomer's path to a published episode, a user's own story
 * (own-story.spec.ts), the Approve tab's dataset test (approve.spec.ts) and the Train tab's test
 * (train.spec.ts, with the suite's fake ComfyUI as image and training engine). Tests that expect an empty studio
 * must not share one.
 */
import type { FullConfig } from '@playwright/test'
import { STUDIO_ENV, startStudio } from './studio-server'

type Label = keyof typeof STUDIO_ENV
const ROOT_PATHS: Partial<Record<Label, string>> = { prefixed: '/anime-studio' }

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const started = Date.now()
  const labels = Object.keys(STUDIO_ENV) as Label[]
  const studios = await Promise.all(
    labels.map(async (label) => ({
      label,
      server: await startStudio({ label, rootPath: ROOT_PATHS[label], comfyui: label === 'train' }),
    })),
  )
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  console.log(`studios up in ${seconds} s: ${studios.map((s) => s.server.url).join(', ')}`)
  // Workers read these (environment set here reaches every test worker).
  for (const { label, server } of studios) {
    const { url, username, password, dataDir } = server
    process.env[STUDIO_ENV[label]] = JSON.stringify({ url, username, password, dataDir })
  }
  return async () => {
    await Promise.all(studios.map((s) => s.server.stop()))
  }
}
