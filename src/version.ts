import packageJson from '../package.json' with { type: 'json' };

/** PHI Guard's own version, as findings and reports name their producer. */
export const PHIGUARD_VERSION: string = packageJson.version;
