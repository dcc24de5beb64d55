// esbuild plugins for the Lambda bundles (`custom.esbuild.plugins` in serverless.yml).
// Both make the bundles smaller without changing what the code does; the
// packaged-stack contract test runs the bundles against moto to prove it.
const { readFile } = require('node:fs/promises');
const path = require('node:path');

/**
 * AWS SDK clients since 3.930 describe their API in one `schemas_0.js` module whose
 * trait objects use computed keys (`{ [_eQN]: "Min" }`, `_eQN` a string constant).
 * esbuild cannot prove a computed key free of side effects, so it keeps every
 * statement holding one: all 13,000 EC2 shapes (~550 KB) for the four EC2 calls
 * PHI Guard makes (aws/aws-sdk-js-v3#7607; the code generator's fix,
 * smithy-lang/smithy-typescript#1889, writes literal keys). This rewrites a computed
 * key to its literal when it names a module-level string constant; anything else
 * is left alone, and a module already generated with literal keys passes unchanged.
 */
function literalTraitKeys(source) {
  const constants = new Map();
  for (const [, name, literal] of source.matchAll(/^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm)) {
    constants.set(name, literal);
  }
  return source.replace(/\[(_\w+)\]:/g, (whole, name) => {
    const literal = constants.get(name);
    return literal === undefined ? whole : `${literal}:`;
  });
}

const SCHEMA_MODULE = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

const sdkSchemaLiteralKeys = {
  name: 'phiguard-sdk-schema-literal-keys',
  setup(build) {
    build.onLoad({ filter: SCHEMA_MODULE }, async (args) => ({
      contents: literalTraitKeys(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

/** See src/lambda-credential-provider.ts: in Lambda, credentials come from the environment only. */
const lambdaCredentials = {
  name: 'phiguard-lambda-credentials',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: path.join(__dirname, '..', 'src', 'lambda-credential-provider.ts'),
    }));
  },
};

module.exports = [sdkSchemaLiteralKeys, lambdaCredentials];
module.exports.literalTraitKeys = literalTraitKeys;
