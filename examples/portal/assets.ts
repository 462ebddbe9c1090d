/**
 * The browser bundles the pages load: the SDK's core (`src/index.ts`), `softtoken-sdk/device`
 * and the jsQR decoder, each one ES module built with esbuild for the browser platform. No
 * `external`, no `inject`, no alias: a `node:` import anywhere in the graph fails the build
 * instead of reaching the page, and nothing is polyfilled.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The bundles by URL path, and the entry each is built from. */
export const bundleEntries = {
  '/assets/softtoken.js': 'src/index.ts',
  '/assets/softtoken-device.js': 'src/device/index.ts',
  '/assets/jsqr.js': 'examples/phone/jsqr-entry.ts',
} as const;

/** A bundle's URL path. */
export type BundlePath = keyof typeof bundleEntries;

/** Builds one bundle: ESM, minified, for browsers of 2022 on. */
export const buildBundle = async (path: BundlePath): Promise<string> => {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [bundleEntries[path]],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild wrote nothing for ${path}`);
  return output.text;
};

/** Every bundle, built once, on first use. */
export const bundles = (): ((path: BundlePath) => Promise<string>) => {
  const built = new Map<BundlePath, Promise<string>>();
  return (path) => {
    const known = built.get(path) ?? buildBundle(path);
    built.set(path, known);
    return known;
  };
};
