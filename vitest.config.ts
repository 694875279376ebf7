import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start HTTPS emulators on random ports; two cores favour a small pool.
    pool: 'forks',
    maxWorkers: 2,
  },
});
