/**
 * Builds the CLI into one JavaScript file, .build/cli/phiguard.cjs, the way the
 * Lambda bundles are built (esbuild): `phiguard` then starts without transpiling
 * TypeScript on every run (issue 16). Runs at `npm ci` (the `prepare` script), and
 * again from bin/phiguard.js whenever a source file changed since the last build,
 * so a fresh clone needs only the README's two commands and a developer never runs
 * a stale CLI. Plain JavaScript: it must run before anything is transpiled.
 *
 * Writes the bundle and its list of the repository's own inputs (what the staleness
 * check stats) through temporary files and renames, so processes starting the CLI
 * at the same moment never read half a file.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE = join(ROOT, '.build', 'cli', 'phiguard.cjs');
export const CLI_INPUTS = join(ROOT, '.build', 'cli', 'inputs.json');

/**
 * The Lambda bundles' plugins that shrink the SDK (infra/esbuild-plugins.cjs): literal
 * keys in its schema modules, so unused API shapes tree-shake (EC2's alone were 1 MB),
 * and each client's manifest cut to its name and version. Not their Lambda stand-ins:
 * the CLI needs the SDK's full credential chain (profiles, SSO).
 */
function sdkShrinkingPlugins() {
  const [literalKeys, versionOnly] = createRequire(import.meta.url)('../infra/esbuild-plugins.cjs');
  return [literalKeys, versionOnly];
}

export async function buildCli() {
  const { build } = await import('esbuild');
  const started = Date.now();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/cli/main.ts'],
    bundle: true,
    platform: 'node',
    // CommonJS: bin/phiguard.js compiles it through V8's code cache (bin/code-cache.js),
    // which Node 20 offers to scripts, not to ES modules.
    format: 'cjs',
    // The SDK loads node:http and a few other built-ins with import(). A script compiled
    // from a code cache loses its import() hook (Node 20: ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING),
    // and the hook itself is experimental: esbuild writes those as require() instead.
    supported: { 'dynamic-import': false },
    target: 'node20',
    // ES module entry points, as the Lambda bundles: they tree-shake.
    mainFields: ['module', 'main'],
    plugins: sdkShrinkingPlugins(),
    minify: true,
    // Error and command classes keep their names (messages and `instanceof` do not
    // depend on them, but stack traces a developer reads should).
    keepNames: true,
    legalComments: 'none',
    metafile: true,
    write: false,
    logLevel: 'warning',
    outfile: CLI_BUNDLE,
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((file) => !file.includes('node_modules'))
    .map((file) => relative(ROOT, resolve(ROOT, file)));
  mkdirSync(dirname(CLI_BUNDLE), { recursive: true });
  const suffix = `.${process.pid}.${started}.tmp`;
  const [bundle] = result.outputFiles;
  writeFileSync(CLI_BUNDLE + suffix, bundle.contents);
  renameSync(CLI_BUNDLE + suffix, CLI_BUNDLE);
  // The inputs last: a bundle is trusted only once the list that proves it fresh is written.
  writeFileSync(
    CLI_INPUTS + suffix,
    JSON.stringify({ builtAt: started, inputs: [...inputs, 'package-lock.json'] }),
  );
  renameSync(CLI_INPUTS + suffix, CLI_INPUTS);
  return { ms: Date.now() - started, bytes: bundle.contents.length, inputs: inputs.length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { ms, bytes, inputs } = await buildCli();
  process.stdout.write(
    `phiguard CLI built: .build/cli/phiguard.cjs (${(bytes / 1024).toFixed(0)} KB from ${inputs} source files, ${ms} ms)\n`,
  );
}
