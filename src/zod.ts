/**
 * The one place PHI Guard gets zod from (`import * as z from './zod'`):
 * `zod/mini`, the tree-shakable build (~20 KB in a bundle against ~95 KB for
 * classic zod, whose every schema carries JSON-schema conversion and methods
 * nothing here calls).
 *
 * `zod/mini` ships without messages ("Invalid input" everywhere). Users read
 * these in ConfigError and InvalidEventError, so the English locale is loaded
 * here, by its own import: `z.locales.en()` would bundle every locale. Re-exported
 * with `export *` (not as a namespace object) so bundles keep only what is used.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
