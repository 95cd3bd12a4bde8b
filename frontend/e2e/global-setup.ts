/** Start two real studios (at `/` and at `/anime-studio`) for the browser tests; stop them afterwards. */
import type { FullConfig } from '@playwright/test'
import { startStudio } from './studio-server'

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const started = Date.now()
  const [root, prefixed] = await Promise.all([
    startStudio({ label: 'root' }),
    startStudio({ label: 'prefixed', rootPath: '/anime-studio' }),
  ])
  console.log(`studios up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${root.url} and ${prefixed.url}`)
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
  return async () => {
    await Promise.all([root.stop(), prefixed.stop()])
  }
}
