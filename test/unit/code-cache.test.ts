import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithCodeCache } from '../../bin/code-cache.js';

/** The CLI's bundle is compiled from V8's code cache (bin/code-cache.js, issue 16). */
const moduleSource = (answer: number) =>
  `module.exports = { answer: () => ${answer}, platform: () => require('node:os').platform(), file: __filename };\n`;

function bundleIn(answer: number) {
  const dir = mkdtempSync(join(tmpdir(), 'phiguard-code-cache-'));
  const file = join(dir, 'bundle.cjs');
  writeFileSync(file, moduleSource(answer));
  return { dir, file, cache: join(dir, 'bundle.cache') };
}

type Exports = { answer(): number; platform(): string; file: string };

describe('loading a CommonJS bundle through the code cache', () => {
  it('runs it without a cache, with its require(), and writes a cache keyed to the exact source and Node', () => {
    const { file, cache } = bundleIn(42);
    const first = loadWithCodeCache(file, cache);
    const exports = first.exports as Exports;
    expect(first.fromCache).toBe(false);
    expect(exports.answer()).toBe(42);
    expect(exports.file).toBe(file);
    expect(exports.platform()).toBe(process.platform);
    first.saveCache();
    const key = createHash('sha256')
      .update(`${process.version}\0${process.arch}\0`)
      .update(moduleSource(42))
      .digest();
    expect(readFileSync(cache).subarray(0, key.length).equals(key)).toBe(true);

    const second = loadWithCodeCache(file, cache);
    expect(second.fromCache).toBe(true);
    expect((second.exports as Exports).answer()).toBe(42);
    expect((second.exports as Exports).platform()).toBe(process.platform);
  });

  it('ignores a cache made for another source of the same length (V8 itself checks only the length)', () => {
    const { file, cache } = bundleIn(42);
    const first = loadWithCodeCache(file, cache);
    (first.exports as Exports).answer();
    first.saveCache();
    // A rebuild that changed one character: the old code must not run.
    writeFileSync(file, moduleSource(43));
    const rebuilt = loadWithCodeCache(file, cache);
    expect(rebuilt.fromCache).toBe(false);
    expect((rebuilt.exports as Exports).answer()).toBe(43);
  });

  it('ignores a damaged cache, and a cache that cannot be written costs nothing but speed', () => {
    const { dir, file, cache } = bundleIn(7);
    writeFileSync(cache, 'not a cache');
    const loaded = loadWithCodeCache(file, cache);
    expect(loaded.fromCache).toBe(false);
    expect((loaded.exports as Exports).answer()).toBe(7);
    const nowhere = join(dir, 'missing-directory', 'bundle.cache');
    const unwritable = loadWithCodeCache(file, nowhere);
    expect(() => unwritable.saveCache()).not.toThrow();
    expect(existsSync(nowhere)).toBe(false);
  });
});
