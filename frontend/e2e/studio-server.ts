/** Start and stop a real `anime-studio serve` on a fresh data dir for browser tests. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..')
export const FRONTEND_DIR = resolve(REPO_ROOT, 'frontend')

export interface StudioServer {
  url: string
  rootPath: string
  dataDir: string
  username: string
  password: string
  stop: () => Promise<void>
}

export function studioBinary(): string {
  if (process.env.ANIME_STUDIO_BIN) return process.env.ANIME_STUDIO_BIN
  const venv = join(REPO_ROOT, '.venv', 'bin', 'anime-studio')
  return existsSync(venv) ? venv : 'anime-studio'
}

/** The Python of the studio's environment (for helpers that talk to its database). */
export function studioPython(): string {
  if (process.env.ANIME_STUDIO_PYTHON) return process.env.ANIME_STUDIO_PYTHON
  const venv = join(REPO_ROOT, '.venv', 'bin', 'python')
  return existsSync(venv) ? venv : 'python3'
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolvePort(port))
    })
  })
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number, log: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`anime-studio serve exited with ${child.exitCode}; see ${log}`)
    try {
      const response = await fetch(`${url}/api/lora/health`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`anime-studio serve did not become healthy within ${timeoutMs} ms; see ${log}`)
}

function stopProcessGroup(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.pid === undefined) return done()
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal) // the whole group: uvicorn and its embedded PostgreSQL
      } catch {
        // already gone
      }
    }
    const timer = setTimeout(() => kill('SIGKILL'), 15_000)
    child.once('exit', () => {
      clearTimeout(timer)
      done()
    })
    kill('SIGTERM')
  })
}

/** The suite's fake ComfyUI (tests/fakes) as the studio's image and training engine, one backend. */
async function startFakeComfy(dataDir: string): Promise<{ child: ChildProcess; env: Record<string, string> }> {
  const port = await freePort()
  const log = openSync(join(dataDir, 'comfyui.log'), 'a')
  const script = join(import.meta.dirname, 'fake_comfyui.py')
  const child = spawn(studioPython(), [script, String(port), join(dataDir, 'comfyui')], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', log, log],
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the fake ComfyUI exited with ${child.exitCode}`)
    const up = await fetch(`${url}/system_stats`).then((r) => r.ok, () => false)
    if (up) break
    if (Date.now() > deadline) throw new Error('the fake ComfyUI did not start')
    await new Promise((r) => setTimeout(r, 200))
  }
  const env = {
    ANIME_STUDIO_COMFYUI_URLS: url,
    ANIME_STUDIO_IMAGE_ENGINE: 'comfyui',
    ANIME_STUDIO_TRAINING_ENGINE: 'comfyui',
    ANIME_STUDIO_COMFYUI_DEFAULT_CHECKPOINT: 'anything-v5.safetensors',
    ANIME_STUDIO_LORA_MIN_IMAGES: '3',
  }
  return { child, env }
}

/** A studio on a free port with one admin account, serving the built UI (`frontend/dist`). */
export async function startStudio(options: { rootPath?: string; label: string; comfyui?: boolean }): Promise<StudioServer> {
  const uiDir = process.env.ANIME_STUDIO_UI_DIR ?? join(FRONTEND_DIR, 'dist')
  if (!existsSync(join(uiDir, 'index.html'))) throw new Error(`no built UI in ${uiDir}: run npm run build first`)
  const dataDir = mkdtempSync(join(tmpdir(), `as-e2e-${options.label}-`))
  const username = 'e2e-admin'
  const password = 'e2e-password-123'
  const comfy = options.comfyui ? await startFakeComfy(dataDir) : null
  const env = { ...process.env, ANIME_STUDIO_UI_DIR: uiDir, ANIME_STUDIO_DATA_DIR: dataDir, ...(comfy?.env ?? {}) }

  const created = spawnSync(
    studioBinary(),
    ['users', 'create', username, '--role', 'admin', '--password', password, '--data-dir', dataDir],
    { env, encoding: 'utf8', timeout: 120_000 },
  )
  if (created.status !== 0) throw new Error(`users create failed: ${created.stderr || created.stdout}`)

  const port = await freePort()
  const rootPath = options.rootPath ?? ''
  const args = ['serve', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warning']
  if (rootPath) args.push('--root-path', rootPath)
  const log = join(dataDir, 'serve.log')
  const out = openSync(log, 'a')
  const child = spawn(studioBinary(), args, { env, detached: true, stdio: ['ignore', out, out] })
  const url = `http://127.0.0.1:${port}${rootPath}`
  try {
    await waitForHealth(url, child, 90_000, log)
  } catch (error) {
    await stopProcessGroup(child)
    if (comfy) await stopProcessGroup(comfy.child)
    throw error
  }

  return {
    url,
    rootPath,
    dataDir,
    username,
    password,
    stop: async () => {
      await stopProcessGroup(child)
      if (comfy) await stopProcessGroup(comfy.child)
      if (!process.env.E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** The studios the global setup starts, and the environment variable each one's address travels in. */
export const STUDIO_ENV = {
  root: 'E2E_STUDIO',
  prefixed: 'E2E_STUDIO_PREFIXED',
  newcomer: 'E2E_STUDIO_NEWCOMER',
  story: 'E2E_STUDIO_STORY',
  datasets: 'E2E_STUDIO_DATASETS',
  train: 'E2E_STUDIO_TRAIN',
  echo: 'E2E_STUDIO_ECHO',
  review: 'E2E_STUDIO_REVIEW',
} as const
