/**
 * Start three real studios for the browser tests (each on its own data dir, stopped afterwards):
 * one at `/`, one at `/anime-studio`, a fresh one for the newcomer's path to a published episode, and one
 * for the Approve tab's dataset test.
 */
import type { FullConfig } from '@playwright/test'
import { startStudio } from './studio-server'

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const started = Date.now()
  const [root, prefixed, newcomer, datasets] = await Promise.all([
    startStudio({ label: 'root' }),
    startStudio({ label: 'prefixed', rootPath: '/anime-studio' }),
    startStudio({ label: 'newcomer' }),
    startStudio({ label: 'datasets' }),
  ])
  console.log(`studios up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${root.url}, ${prefixed.url}, ${newcomer.url}`)
  // Workers read these (environment set here reaches every test worker).
  process.env.E2E_STUDIO = JSON.stringify({
    url: root.url,
    username: root.username,
    password: root.password,
    dataDir: root.dataDir,
  })
  process.env.E2E_STUDIO_PREFIXED = JSON.stringify({
    url: prefixed.url,
    username: prefixed.username,
    password: prefixed.password,
    dataDir: prefixed.dataDir,
  })
  process.env.E2E_STUDIO_NEWCOMER = JSON.stringify({
    url: newcomer.url,
    username: newcomer.username,
    password: newcomer.password,
    dataDir: newcomer.dataDir,
  })
  process.env.E2E_STUDIO_DATASETS = JSON.stringify({
    url: datasets.url,
    username: datasets.username,
    password: datasets.password,
    dataDir: datasets.dataDir,
  })
  return async () => {
    await Promise.all([root.stop(), prefixed.stop(), newcomer.stop(), datasets.stop()])
  }
}
