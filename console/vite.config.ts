import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is built to static files the console function serves under /console (DESIGN 13).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  // Production JSX also when a test runner (NODE_ENV=test) builds the console.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react', development: false } },
  // Always React's production build, for the same reason.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Nothing inline: the page runs under a CSP without 'unsafe-inline'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
    chunkSizeWarningLimit: 400,
    rollupOptions: {
      // TanStack Query marks its modules "use client" for server-component bundlers; a SPA has none.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
