import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    postgres: 'src/postgres/index.ts',
    device: 'src/device/index.ts',
    testing: 'src/testing/index.ts',
    promise: 'src/promise/index.ts',
    relay: 'src/relay/index.ts',
    nats: 'src/nats/index.ts',
    otel: 'src/otel/index.ts',
    pkcs11: 'src/pkcs11/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  // Shared modules become chunks instead of being copied into every entry point.
  splitting: true,
  treeshake: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['fp-ts', 'io-ts', 'pg', '@nats-io/jetstream', '@nats-io/nats-core', '@opentelemetry/api', 'node:async_hooks', 'pkcs11js', '@noble/hashes', 'uuid', 'vitest', 'fast-check'],
});
