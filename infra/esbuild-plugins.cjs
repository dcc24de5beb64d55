// esbuild plugins for the Lambda bundles (`custom.esbuild.plugins` in serverless.yml).
// They make the bundles smaller without changing what the code does; the
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

const CLIENT_PACKAGE_JSON = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]package\.json$/;

/**
 * Every SDK client imports its whole package.json (`import packageInfo from
 * "../package.json"`) to put `packageInfo.version` in the User-Agent header. A
 * default import of JSON cannot be tree-shaken, so each client carried its
 * manifest (scripts, dependency lists: ~2.3 KB) into the bundle. This hands the
 * client its name and version only; the header is unchanged.
 */
const sdkPackageVersionOnly = {
  name: 'phiguard-sdk-package-version-only',
  setup(build) {
    build.onLoad({ filter: CLIENT_PACKAGE_JSON }, async (args) => {
      const { name, version } = JSON.parse(await readFile(args.path, 'utf8'));
      return { contents: JSON.stringify({ name, version }), loader: 'json' };
    });
  },
};

/**
 * SDK modules the Lambda bundles replace with a stand-in from src/lambda-bundle/
 * (each file says why the SDK's module can never be needed there). The CLI and
 * the tests, which never go through this plugin, keep the SDK's own modules.
 * A stand-in exports only what today's clients import: should an SDK update
 * import anything else from one, esbuild fails the build ("No matching export")
 * instead of bundling around it.
 */
const LAMBDA_STAND_INS = {
  // In Lambda, credentials come from the environment only.
  '@aws-sdk/credential-provider-node': 'credential-provider.ts',
  // S3's SelectObjectContent codec; PHI Guard never reads objects.
  '@smithy/core/event-streams': 'event-streams.ts',
  // DynamoDB's endpoint cache, which no command of this SDK version reads.
  '@aws-sdk/middleware-endpoint-discovery': 'endpoint-discovery.ts',
  // Checksum algorithms beyond S3's default CRC32, which PHI Guard never chooses.
  '@aws-sdk/checksums/crc': 'checksums-crc.ts',
  '@aws-sdk/checksums/sha': 'checksums-sha.ts',
};

const lambdaStandIns = {
  name: 'phiguard-lambda-stand-ins',
  setup(build) {
    const specifiers = Object.keys(LAMBDA_STAND_INS).map((s) => s.replace(/[/.-]/g, '\\$&'));
    build.onResolve({ filter: new RegExp(`^(${specifiers.join('|')})$`) }, (args) => ({
      path: path.join(__dirname, '..', 'src', 'lambda-bundle', LAMBDA_STAND_INS[args.path]),
    }));
  },
};

module.exports = [sdkSchemaLiteralKeys, sdkPackageVersionOnly, lambdaStandIns];
module.exports.literalTraitKeys = literalTraitKeys;
