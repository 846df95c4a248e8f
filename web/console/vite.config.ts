import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// The console is embedded in the weihua binary and served from its root:
// /assets/* (hashed names, cached for a year) and index.html for every other
// path (browser-history routing). No CDN: everything is bundled.
export default defineConfig({
  plugins: [
    vue(),
    // Element Plus on demand: only the components a template uses, with their CSS.
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: 'src/components.d.ts' }),
  ],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // Named chunks, so sizes are easy to follow: Vue (every page), Element
        // Plus (pages past the overview) and ECharts (loaded on the first
        // chart) apart from the app's own code.
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|tslib)[\\/]/, priority: 20 },
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router)[\\/]/, priority: 30 },
            { name: 'element-plus', test: /node_modules[\\/](element-plus|@element-plus|@vueuse|@floating-ui|@ctrl|async-validator|lodash|lodash-es|lodash-unified|dayjs|normalize-wheel-es|memoize-one|@sxzz|@popperjs)[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    // `npm run dev` against a running weihua (default address of scripts/demo.sh).
    proxy: { '/api': { target: process.env.WEIHUA_URL ?? 'http://127.0.0.1:8080', changeOrigin: true } },
  },
})
