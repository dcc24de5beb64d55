import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { literalTraitKeys } = require('../../infra/esbuild-plugins.cjs') as {
  literalTraitKeys: (source: string) => string;
};

describe('literalTraitKeys (esbuild plugin for the SDK schema modules)', () => {
  it('turns a computed key naming a string constant into that literal', () => {
    const source = [
      'const _eQN = "ec2QueryName";',
      'const _xN = "xmlName";',
      'export var Min$ = [3, n0, _M, 0, [_M], [[1, { [_eQN]: `Min`, [_xN]: _m }]]];',
    ].join('\n');
    expect(literalTraitKeys(source)).toBe(
      [
        'const _eQN = "ec2QueryName";',
        'const _xN = "xmlName";',
        'export var Min$ = [3, n0, _M, 0, [_M], [[1, { "ec2QueryName": `Min`, "xmlName": _m }]]];',
      ].join('\n'),
    );
  });

  it('leaves keys it cannot prove constant, and arrays that only look alike', () => {
    const source = [
      'let _mutable = "x";',
      'const _num = 3;',
      'const _str = "s";',
      'f({ [_mutable]: 1, [_num]: 2, [_unknown]: 3 }, [_str], cond ? [_str] : 4);',
    ].join('\n');
    const out = literalTraitKeys(source);
    expect(out).toContain('{ [_mutable]: 1, [_num]: 2, [_unknown]: 3 }');
    expect(out).toContain('[_str], cond');
  });

  it('keeps escaped string constants exactly', () => {
    const source = 'const _q = "a\\"b";\nx = { [_q]: 1 };';
    expect(literalTraitKeys(source)).toBe('const _q = "a\\"b";\nx = { "a\\"b": 1 };');
  });

  it('passes a module already generated with literal keys through unchanged', () => {
    const source =
      'const _c = "client";\nexport var E$ = [-3, n0, "E", { "error": _c, "httpError": 400 }, [], []];';
    expect(literalTraitKeys(source)).toBe(source);
  });
});

describe('the Lambda bundle plugins, on a bundle built with them', () => {
  // Prepare: bundle a small program the way serverless-esbuild bundles the handlers,
  // outside the repository so nothing can resolve back to node_modules at run time.
  const plugins = require('../../infra/esbuild-plugins.cjs') as Plugin[];
  const program = `
    import { S3Client } from '@aws-sdk/client-s3';
    import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
    import { Crc32, Crc32c, Crc64Nvme } from '@aws-sdk/checksums/crc';
    const outcome = async (f) => { try { await f(); return 'ok'; } catch (e) { return e.name; } };
    const s3 = new S3Client({ region: 'us-east-1' });
    export const userAgent = await s3.config.defaultUserAgentProvider();
    export const selectObjectContent = await outcome(() => s3.config.eventStreamMarshaller.deserialize());
    export const discoveryOn = await outcome(() => new DynamoDBClient({ region: 'us-east-1', endpointDiscoveryEnabled: true }));
    export const discoveryDefault = await new DynamoDBClient({ region: 'us-east-1' }).config.endpointDiscoveryEnabled();
    const crc32 = new Crc32();
    crc32.update(new TextEncoder().encode('phiguard'));
    export const crc32Digest = Array.from(await crc32.digest());
    export const otherChecksums = await Promise.all(
      [() => new s3.config.sha1(), () => new Crc32c(), () => new Crc64Nvme()].map(outcome),
    );
  `;
  let bundled = '';
  let loaded: Record<string, unknown> = {};

  beforeAll(async () => {
    const result = await build({
      stdin: { contents: program, resolveDir: process.cwd(), loader: 'js' },
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      mainFields: ['module', 'main'],
      write: false,
      plugins,
      logLevel: 'silent',
    });
    bundled = result.outputFiles[0]?.text ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'phiguard-plugins-'));
    const file = join(dir, 'bundle.mjs');
    writeFileSync(file, bundled);
    loaded = await import(pathToFileURL(file).href);
  }, 60_000);

  it('keeps only the name and version of each client manifest, and the User-Agent still carries the version', () => {
    expect(bundled.includes('"@aws-sdk/client-s3"')).toBe(true);
    expect(bundled.includes('devDependencies')).toBe(false);
    const { version } = require('@aws-sdk/client-s3/package.json') as { version: string };
    expect(loaded.userAgent).toContainEqual(['api/S3', version]);
  });

  it('leaves the event-stream codec out; an event-stream operation fails with a named error', () => {
    expect(bundled.includes(':message-type')).toBe(false);
    expect(loaded.selectObjectContent).toBe('NotBundledError');
  });

  it('leaves the DynamoDB endpoint cache out; discovery stays off and turning it on is refused', () => {
    expect(bundled.includes('mnemonist')).toBe(false);
    expect(loaded.discoveryDefault).toBe(false);
    expect(loaded.discoveryOn).toBe('NotBundledError');
  });

  it('keeps S3’s CRC32 checksum and leaves the algorithms PHI Guard never chooses out, refused by name', () => {
    // CRC32 of "phiguard", as zlib computes it.
    const expected = crc32('phiguard');
    expect(loaded.crc32Digest).toEqual([24, 16, 8, 0].map((shift) => (expected >>> shift) & 0xff));
    expect(loaded.otherChecksums).toEqual(['NotBundledError', 'NotBundledError', 'NotBundledError']);
  });

  it('fails the build, not the Lambda, when SDK code imports something a stand-in does not provide', async () => {
    const importing = (specifier: string, name: string) =>
      build({
        stdin: {
          contents: `import { ${name} } from '${specifier}'; console.log(${name});`,
          resolveDir: process.cwd(),
        },
        bundle: true,
        platform: 'node',
        format: 'esm',
        write: false,
        plugins,
        logLevel: 'silent',
      });
    await expect(
      importing('@aws-sdk/middleware-endpoint-discovery', 'getEndpointDiscoveryPlugin'),
    ).rejects.toThrow(/No matching export/);
    await expect(importing('@smithy/core/event-streams', 'EventStreamMarshaller')).rejects.toThrow(
      /No matching export/,
    );
    await expect(importing('@aws-sdk/checksums/crc', 'Crc32cJs')).rejects.toThrow(/No matching export/);
    await expect(importing('@aws-sdk/checksums/sha', 'Sha512')).rejects.toThrow(/No matching export/);
  });

  it('swaps the credential chain for the environment provider', () => {
    expect(/fromSSO|fromIni|fromProcess|fromTokenFile/.test(bundled)).toBe(false);
  });
});
