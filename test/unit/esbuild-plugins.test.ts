import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

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
