/**
 * Stands in for `@aws-sdk/checksums/crc` in the Lambda bundles
 * (infra/esbuild-plugins.cjs swaps it in at bundle time; the CLI and the tests
 * keep the SDK's own module).
 *
 * S3 checksums the requests that need one (PutBucketAcl, PutPublicAccessBlock, …)
 * with CRC32, the SDK's default, which PHI Guard never changes; response checksums
 * are validated only for object reads, which PHI Guard never makes. CRC32C and
 * CRC64NVME are kept out (with their JavaScript fallbacks, ~2.5 KB); CRC32 is the
 * SDK's own. Asking for another algorithm fails with a named error.
 */
import { NotBundledError } from '../errors';

export { Crc32 } from '@smithy/core/checksum';

function notBundled(algorithm: string): never {
  throw new NotBundledError(
    `the ${algorithm} checksum is not in the PHI Guard Lambda bundle (S3 requests use CRC32): remove the checksums stand-in from infra/esbuild-plugins.cjs to use it`,
  );
}

export class Crc32c {
  constructor() {
    notBundled('CRC32C');
  }
}

export class Crc64Nvme {
  constructor() {
    notBundled('CRC64NVME');
  }
}
