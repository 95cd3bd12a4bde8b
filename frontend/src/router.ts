/** Routes: the login page, and the studio's tabs under one project (`/projects/:projectId/...`). */
import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteLocationRaw, type RouterHistory } from 'vue-router'
import { routerBase } from '@/api/base'
import { ApiError } from '@/api/errors'
import { errorMessage } from '@/api/http'
import { useToasts } from '@/components/toast'
import { useAuthStore } from '@/features/auth/store'
import { rememberedProjectId, useProjectsStore } from '@/features/projects/store'
import AppShell from '@/layouts/AppShell.vue'
import LoginPage from '@/pages/LoginPage.vue'
import { safeNext } from '@/navigation'
import ProjectPage from '@/pages/ProjectPage.vue'
import type { TabKey } from '@/tabs'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    /** The tab this route belongs to (for the tab bar). */
    tab?: TabKey
  }
}

/** Where "home" is: the last project used, else the first project, else the project tab's empty state. */
async function homeLocation(): Promise<RouteLocationRaw> {
  const projects = useProjectsStore()
  await projects.ensureList().catch(() => undefined)
  const ids = projects.list.items.map((p) => p.id)
  const remembered = rememberedProjectId()
  const id = remembered !== null && ids.includes(remembered) ? remembered : ids[0]
  return id === undefined ? { name: 'projects' } : { name: 'project', params: { projectId: String(id) } }
}

async function openProject(to: RouteLocationNormalized): Promise<RouteLocationRaw | true> {
  const raw = to.params.projectId
  if (typeof raw !== 'string') {
    useProjectsStore().close()
    return true
  }
  const projects = useProjectsStore()
  try {
    await projects.open(Number(raw))
    return true
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return true // the 401 handler redirects
    useToasts().error(error instanceof ApiError && error.status === 404 ? 'That project no longer exists' : 'Could not open the project', errorMessage(error))
    return { name: 'projects' }
  }
}

export function createStudioRouter(history: RouterHistory = createWebHistory(routerBase())) {
  const router = createRouter({
    history,
    routes: [
      { path: '/login', name: 'login', component: LoginPage, meta: { public: true } },
      {
        path: '/',
        component: AppShell,
        children: [
          { path: '', name: 'home', component: ProjectPage, beforeEnter: homeLocation },
          { path: 'projects', name: 'projects', component: ProjectPage, meta: { tab: 'project' } },
          {
            path: 'projects/:projectId(\\d+)',
            name: 'project',
            component: ProjectPage,
            meta: { tab: 'project' },
          },
          {
            path: 'projects/:projectId(\\d+)/story',
            name: 'story',
            component: () => import('@/pages/StoryWorldPage.vue'),
            meta: { tab: 'story' },
          },
          {
            path: 'projects/:projectId(\\d+)/characters/:characterId(\\d+)?',
            name: 'characters',
            component: () => import('@/pages/CharactersPage.vue'),
            meta: { tab: 'characters' },
          },
          {
            path: 'projects/:projectId(\\d+)/generate/:characterId(\\d+)?',
            name: 'generate',
            component: () => import('@/pages/GeneratePage.vue'),
            meta: { tab: 'generate' },
          },
          {
            path: 'projects/:projectId(\\d+)/approve/:characterId(\\d+)?',
            name: 'approve',
            component: () => import('@/pages/ApprovePage.vue'),
            meta: { tab: 'approve' },
          },
          {
            path: 'projects/:projectId(\\d+)/train/:characterId(\\d+)?',
            name: 'train',
            component: () => import('@/pages/TrainPage.vue'),
            meta: { tab: 'train' },
          },
          {
            path: 'projects/:projectId(\\d+)/scenes/:sceneId(\\d+)?',
            name: 'scenes',
            component: () => import('@/pages/ScenesPage.vue'),
            meta: { tab: 'scenes' },
          },
          {
            path: 'projects/:projectId(\\d+)/episodes/:episodeId(\\d+)?',
            name: 'episodes',
            component: () => import('@/pages/EpisodesPage.vue'),
            meta: { tab: 'episodes' },
          },
          {
            path: 'projects/:projectId(\\d+)/gallery',
            name: 'gallery',
            component: () => import('@/pages/GalleryPage.vue'),
            meta: { tab: 'gallery' },
          },
          { path: 'projects/:projectId(\\d+)/echo', name: 'echo', component: () => import('@/pages/EchoPage.vue'), meta: { tab: 'echo' } },
        ],
      },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  })

  router.beforeEach(async (to) => {
    const auth = useAuthStore()
    if (!auth.checked) await auth.restore().catch(() => undefined)
    if (to.meta.public) {
      if (auth.signedIn && to.name === 'login') return safeNext(to.query.next) ?? '/'
      return true
    }
    if (!auth.signedIn) return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
    return true
  })

  // After the pages' own guards (an unsaved-changes prompt may cancel a project switch).
  router.beforeResolve((to) => (to.meta.public ? true : openProject(to)))

  return router
}
