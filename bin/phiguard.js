#!/usr/bin/env node
// Starts the CLI from its built bundle (.build/cli/phiguard.mjs, made by
// scripts/build-cli.mjs at `npm ci`), rebuilt first when a source file changed since.
// PHIGUARD_CLI_FROM_SOURCE=1 runs the TypeScript in place through tsx (development).
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Node 20 is this project's local toolchain; the SDK's notice about Node 22 is for the Lambda runtime, which is 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, '.build', 'cli', 'phiguard.mjs');

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
  ({ main } = await import(pathToFileURL(bundle).href));
}
await main();
