// why: an explicit config, so vitest does not pick up another project's from a parent folder.
export default {
  test: {
    include: ['test/**/*.test.mjs'],
    testTimeout: 20000,
    reporters: ['default'],
  },
};
