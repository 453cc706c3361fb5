import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Statistical tests run tens of thousands of steps: seconds each, by design.
    testTimeout: 120_000,
    // Dawn (the webgpu package) must not load inside worker threads: one process per file.
    pool: 'forks',
  },
});
