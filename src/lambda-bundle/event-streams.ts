/**
 * Stands in for `@smithy/core/event-streams` in the Lambda bundles
 * (infra/esbuild-plugins.cjs swaps it in at bundle time; the CLI and the tests
 * keep the SDK's own module).
 *
 * The S3 client wires an event-stream codec into every client it builds for one
 * operation, SelectObjectContent, which PHI Guard never calls (it reads bucket
 * configuration, never objects). The codec, its marshallers and header parsers
 * are ~15 KB of every bundle holding S3. Constructing a client still works; an
 * operation that really streams events fails with a named error instead of
 * running without its codec.
 */
import { NotBundledError } from '../errors';

function notBundled(): never {
  throw new NotBundledError(
    'AWS event streams are not in the PHI Guard Lambda bundle: remove the event-streams stand-in from infra/esbuild-plugins.cjs to use an event-stream operation',
  );
}

const unavailableMarshaller = { serialize: notBundled, deserialize: notBundled };

/** What the S3 client's runtime config calls at construction: a marshaller that refuses every use. */
export const eventStreamSerdeProvider = (_options?: unknown) => unavailableMarshaller;

/** The SDK's own resolver (one line), so the client's configuration keeps its shape. */
export const resolveEventStreamSerdeConfig = <T extends { eventStreamSerdeProvider: (input: T) => unknown }>(
  input: T,
) => Object.assign(input, { eventStreamMarshaller: input.eventStreamSerdeProvider(input) });

/** Loaded by the protocol only for an operation with an event-stream member. */
export class EventStreamSerde {
  constructor(_options?: unknown) {
    notBundled();
  }
}
