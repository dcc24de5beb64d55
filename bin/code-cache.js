// Loads the CLI's CommonJS bundle through V8's code cache (issue 16).
//
// Compiling the 1.8 MB bundle was about half of every start (0.26 s of 0.45 s); with
// the code cache V8 skips parsing it and starts from the functions compiled by an
// earlier run. Node 22 does this itself (module.enableCompileCache); the CLI supports
// Node 20, which does not. The v8-compile-cache package was measured too: it keeps the
// cache V8 produces *before* the code runs, so the functions compiled while running are
// not in it (rules --json 0.37 s against 0.27 s here).
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

/** What the cache is valid for: this exact bundle, under this Node (V8) on this machine's architecture. */
function cacheKey(source) {
  return createHash('sha256').update(`${process.version}\0${process.arch}\0`).update(source).digest();
}

/** The cached code for `key`, or undefined when there is none or it was made for something else. */
function readCache(cacheFile, key) {
  try {
    const cache = readFileSync(cacheFile);
    // V8's own check compares only the source's length, so a rebuilt bundle of the same
    // length would otherwise be run from the old bundle's code: the key is a hash of it.
    return cache.subarray(0, key.length).equals(key) ? cache.subarray(key.length) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the CommonJS module `file` and returns its exports, compiled from `cacheFile`
 * when that holds V8's code for this very file. `saveCache()` writes the cache from
 * what has been compiled so far (call it at exit, so the run's lazily compiled
 * functions are in it); `fromCache` says whether this load used one.
 */
export function loadWithCodeCache(file, cacheFile) {
  const source = readFileSync(file, 'utf8');
  const key = cacheKey(source);
  const cachedData = readCache(cacheFile, key);
  // No import() hook: a script compiled from a code cache loses it in Node 20, and the hook
  // is experimental. The bundle has no import() (scripts/build-cli.mjs writes them as require()).
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {}, id: file, filename: file, loaded: false };
  script
    .runInThisContext()
    .call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return {
    exports: module.exports,
    fromCache,
    saveCache() {
      // A cache is only ever a speed-up: a directory that cannot be written to costs the next start, not this run.
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      try {
        writeFileSync(temporary, Buffer.concat([key, script.createCachedData()]));
        renameSync(temporary, cacheFile);
      } catch {
        rmSync(temporary, { force: true });
      }
    },
  };
}
