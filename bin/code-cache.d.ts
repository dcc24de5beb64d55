/** Types of bin/code-cache.js (plain JavaScript: it runs before anything is built). */
export interface CodeCachedModule {
  exports: Record<string, unknown>;
  /** Whether this load was compiled from the cache. */
  fromCache: boolean;
  /** Writes the cache from what V8 has compiled so far (never throws). */
  saveCache(): void;
}

export function loadWithCodeCache(file: string, cacheFile: string): CodeCachedModule;
