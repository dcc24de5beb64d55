#!/usr/bin/env node
// Starts the CLI from its built bundle (.build/cli/phiguard.cjs, made by
// scripts/build-cli.mjs at `npm ci`), rebuilt first when a source file changed since,
// and compiled from V8's code cache (.build/cli/phiguard.cache) once it has run.
// PHIGUARD_CLI_FROM_SOURCE=1 runs the TypeScript in place through tsx (development).
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWithCodeCache } from './code-cache.js';

// Node 20 is this project's local toolchain; the SDK's notice about Node 22 is for the Lambda runtime, which is 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, '.build', 'cli', 'phiguard.cjs');

/** The bundle exists and no source file it was built from changed since (a few hundred stats, ~2 ms). */
function bundleIsFresh() {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(join(root, '.build', 'cli', 'inputs.json'), 'utf8'));
    if (statSync(bundle).mtimeMs < builtAt - 1000) return false;
    return inputs.every((file) => statSync(join(root, file)).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}

let main;
if (process.env.PHIGUARD_CLI_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
} else {
  if (!bundleIsFresh()) {
    const { buildCli } = await import('../scripts/build-cli.mjs');
    await buildCli();
  }
  const loaded = loadWithCodeCache(bundle, join(root, '.build', 'cli', 'phiguard.cache'));
  // Written at exit, so the functions this run compiled are in it.
  if (!loaded.fromCache) process.once('exit', loaded.saveCache);
  ({ main } = loaded.exports);
}
await main();
