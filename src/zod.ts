/**
 * The one place PHI Guard gets zod from: `zod/mini`, the tree-shakable build
 * (~20 KB in a bundle against ~95 KB for classic zod, whose every schema carries
 * JSON-schema conversion and methods nothing here calls).
 *
 * `zod/mini` ships without messages ("Invalid input" everywhere). Users read
 * these in ConfigError and InvalidEventError, so the English locale is loaded
 * here, by its own import: `z.locales.en()` would bundle every locale.
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';

z.config(en());

export { z };
