/**
 * Stands in for `@aws-sdk/checksums/sha` in the Lambda bundles
 * (infra/esbuild-plugins.cjs swaps it in at bundle time; the CLI and the tests
 * keep the SDK's own module).
 *
 * The S3 client's configuration names a SHA-1 hash for the SHA1 checksum
 * algorithm, which only a caller choosing it would use: PHI Guard's S3 requests use
 * the default CRC32 (see checksums-crc.ts). SHA-1 and its JavaScript fallback
 * (~3.5 KB) are kept out; using it fails with a named error.
 */
import { NotBundledError } from '../errors';

export class Sha1 {
  constructor() {
    throw new NotBundledError(
      'the SHA1 checksum is not in the PHI Guard Lambda bundle (S3 requests use CRC32): remove the checksums stand-in from infra/esbuild-plugins.cjs to use it',
    );
  }
}
