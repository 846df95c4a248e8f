import { createRouter, createWebHistory } from 'vue-router'
import { me, onSessionExpired, restore } from './lib/session'
import { closeStream } from './lib/stream'
import Shell from './components/Shell.vue'
import Overview from './views/Overview.vue'

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true } },
    {
      path: '/',
      component: Shell,
      children: [
        { path: '', name: 'overview', component: Overview },
        { path: 'alarms', name: 'alarms', component: () => import('./views/Alarms.vue') },
        { path: 'points', name: 'points', component: () => import('./views/Points.vue') },
        { path: 'points/:tag', name: 'trend', component: () => import('./views/PointTrend.vue'), props: true },
        { path: 'installations/:id', name: 'installation', component: () => import('./views/Installation.vue'), props: true },
        { path: 'kpis', name: 'kpis', component: () => import('./views/Kpis.vue') },
        { path: 'gb18218', name: 'gb18218', component: () => import('./views/Gb18218.vue') },
        { path: 'permits', name: 'permits', component: () => import('./views/permits/Board.vue') },
        { path: 'permits/new', name: 'permit-new', component: () => import('./views/permits/NewPermit.vue') },
        { path: 'permits/:id', name: 'permit', component: () => import('./views/permits/Detail.vue'), props: true },
        { path: 'permits/:id/print', name: 'permit-print', component: () => import('./views/permits/Print.vue'), props: true },
        { path: 'prevention', name: 'prevention', component: () => import('./views/prevention/Home.vue') },
        { path: 'prevention/register', name: 'prevention-register', component: () => import('./views/prevention/Register.vue') },
        { path: 'prevention/tasks', name: 'prevention-tasks', component: () => import('./views/prevention/Tasks.vue') },
        { path: 'prevention/dangers', name: 'prevention-dangers', component: () => import('./views/prevention/Dangers.vue') },
        { path: 'prevention/supervision', name: 'prevention-supervision', component: () => import('./views/prevention/Supervision.vue') },
        { path: 'qra', name: 'qra', component: () => import('./views/qra/Studies.vue') },
        { path: 'qra/:id', name: 'qra-study', component: () => import('./views/qra/Study.vue'), props: true },
        {
          path: 'registry',
          component: () => import('./views/registry/Registry.vue'),
          children: [
            { path: '', name: 'registry', redirect: { name: 'registry-enterprises' } },
            { path: 'enterprises', name: 'registry-enterprises', component: () => import('./views/registry/Enterprises.vue') },
            { path: 'installations', name: 'registry-installations', component: () => import('./views/registry/Installations.vue') },
            { path: 'equipment', name: 'registry-equipment', component: () => import('./views/registry/Equipment.vue') },
            { path: 'points', name: 'registry-points', component: () => import('./views/registry/Points.vue') },
            { path: 'users', name: 'registry-users', component: () => import('./views/registry/Users.vue') },
            { path: 'tokens', name: 'registry-tokens', component: () => import('./views/registry/Tokens.vue') },
            { path: 'ledger', name: 'registry-ledger', component: () => import('./views/registry/Ledger.vue') },
          ],
        },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
  scrollBehavior: () => ({ top: 0 }),
})

let checked = false
router.beforeEach(async (to) => {
  if (!checked) {
    checked = true
    try { await restore() } catch { /* offline: the login page says so */ }
  }
  if (to.meta.public) return true
  if (!me.value) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  return true
})

onSessionExpired(() => {
  closeStream()
  const here = router.currentRoute.value
  if (!here.meta.public) void router.push({ name: 'login', query: { redirect: here.fullPath } })
})
