import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One file for both tools. Vite serves and builds the demo pages in demos/
 * (`npm run demo`, `npm run build:demo` → dist-demo/, relative asset paths so
 * any static file server works); Vitest runs test/ from the repository root.
 */
export default defineConfig({
  root: here('./demos'),
  base: './',
  build: {
    outDir: here('./dist-demo'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        index: here('./demos/index.html'),
        main: here('./demos/main.html'),
        bench: here('./demos/bench.html'),
      },
    },
  },
  test: {
    root: here('.'),
    // `npm run test:e2e` sets AMARI_E2E: the browser tests, after building the demo.
    include: process.env.AMARI_E2E ? ['test/e2e/**/*.e2e.ts'] : ['test/**/*.test.ts'],
    // Statistical tests run tens of thousands of steps: seconds each, by design;
    // the browser tests wait for a software adapter to accumulate statistics.
    testTimeout: process.env.AMARI_E2E ? 900_000 : 120_000,
    // Dawn (the webgpu package) must not load inside worker threads: one process per file.
    pool: 'forks',
    // The CLI remembers convolution choices on disk: tests keep theirs out of the user's ~/.cache.
    env: { AMARI_EP_CACHE: here('./test-output/cache') },
  },
});
