#!/usr/bin/env node
// Runs the TypeScript CLI in place (no build step), so `npx phiguard` works right after `npm ci`.
import { register } from 'tsx/esm/api';

// Node 20 is this project's local toolchain; the SDK's notice about Node 22 is for the Lambda runtime, which is 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../src/cli/main.ts');
await main();
