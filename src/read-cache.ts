/**
 * Reads shared between the rules that look at the same resource during one
 * event or one sweep page (the three S3 rules read one bucket's policy once).
 * Promises are cached, so concurrent readers share one call; a read that fails is
 * not kept, so the next reader (a later rule, a read-back's next round) asks again
 * instead of inheriting a throttled answer. A fix invalidates
 * what it wrote (every read of its resource, unless the type says which reads a
 * write makes stale), so the read-back after a fix (and any later rule) reads
 * live state.
 */
/** The key resource types cache a resource's tags under (`ResourceType.tags`). */
export const TAGS_READ = 'tags';

export class ReadCache {
  private readonly byResource = new Map<string, Map<string, Promise<unknown>>>();

  get<T>(resource: string, key: string, load: () => Promise<T>): Promise<T> {
    let reads = this.byResource.get(resource);
    if (!reads) {
      reads = new Map();
      this.byResource.set(resource, reads);
    }
    const read = reads.get(key) as Promise<T> | undefined;
    if (read) return read;
    // A loader may answer without a promise (a stand-in, a value known already).
    const loading = Promise.resolve(load());
    reads.set(key, loading);
    loading.catch(() => {
      if (reads.get(key) === loading) reads.delete(key);
    });
    return loading;
  }

  /** Stores a read already made (by a batch read of many resources), unless one is cached. */
  prime<T>(resource: string, key: string, value: T): void {
    void this.get(resource, key, async () => value);
  }

  /** Drops the resource's reads, except those named in `keep`. */
  invalidate(resource: string, keep: readonly string[] = []): void {
    const reads = this.byResource.get(resource);
    if (!reads || keep.length === 0) {
      this.byResource.delete(resource);
      return;
    }
    for (const key of [...reads.keys()]) if (!keep.includes(key)) reads.delete(key);
  }

  /** Drops only the resource's reads named in `keys`. */
  drop(resource: string, keys: readonly string[]): void {
    const reads = this.byResource.get(resource);
    for (const key of keys) reads?.delete(key);
  }

  /** Drops everything (between sweep pages, so memory stays bounded). */
  clear(): void {
    this.byResource.clear();
  }
}
