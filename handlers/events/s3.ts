// Generated from the rule registry by `npm run docs`: do not edit.
// The event function for s3.amazonaws.com events: the rules of the resource
// types those events name, in registry order (src/event-functions.ts).
import s3BucketAccessLogging from '../../remediations/s3-bucket-access-logging';
import s3BucketEncryption from '../../remediations/s3-bucket-encryption';
import s3BucketNamePhi from '../../remediations/s3-bucket-name-phi';
import s3BucketPublicAccess from '../../remediations/s3-bucket-public-access';
import s3BucketTlsOnly from '../../remediations/s3-bucket-tls-only';
import s3BucketVersioning from '../../remediations/s3-bucket-versioning';
import { createEventHandler } from '../../src/lambda-event-handler';

export const handler = createEventHandler([
  s3BucketTlsOnly,
  s3BucketPublicAccess,
  s3BucketEncryption,
  s3BucketVersioning,
  s3BucketAccessLogging,
  s3BucketNamePhi,
]);
