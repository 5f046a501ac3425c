import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// why: the page is served under a strict Content-Security-Policy (script-src 'self', no inline
// scripts or styles), so the build must not inject the inline modulepreload polyfill.
const api = process.env.REPRISE_API ?? 'http://127.0.0.1:18080';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    // why: the AI SDK (with Zod) is most of the ~600 kB (~180 kB gzipped); one file is fine here.
    chunkSizeWarningLimit: 800,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/health': { target: api },
    },
  },
});
