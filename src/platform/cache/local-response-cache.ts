/** A cached response: the exact bytes sent and their ETag. */
export interface CachedEntry {
  etag: string;
  body: string;
}

interface LocalEntry extends CachedEntry {
  expiresAt: number;
  tags: readonly string[];
}

/**
 * A small in-process LRU in front of Redis, so that a hot hit costs neither a Redis round trip nor
 * a JSON parse. It is only trusted while this instance hears invalidations from the others
 * (Redis pub/sub); its TTL is short so that a missed message cannot keep an entry stale for long.
 */
export class LocalResponseCache {
  private readonly entries = new Map<string, LocalEntry>();
  private readonly keysByTag = new Map<string, Set<string>>();
  private dropped = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): CachedEntry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.delete(key);
      return undefined;
    }
    // Re-insert: Map order is the recency order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * Counts drops (invalidations, clears). A caller that read an entry from Redis passes the
   * generation it saw before reading; if anything was dropped since, the invalidation may have
   * raced its read, so the entry is not kept.
   */
  get generation(): number {
    return this.dropped;
  }

  set(
    key: string,
    entry: CachedEntry,
    tags: readonly string[],
    ttlMs: number,
    readAtGeneration = this.dropped,
  ): void {
    if (readAtGeneration !== this.dropped) return;
    this.delete(key);
    this.entries.set(key, {
      ...entry,
      tags,
      expiresAt: this.now() + Math.min(ttlMs, this.maxTtlMs),
    });
    for (const tag of tags) {
      let keys = this.keysByTag.get(tag);
      if (!keys) this.keysByTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  /** Drops every entry carrying one of the tags. */
  dropTags(tags: readonly string[]): void {
    this.dropped++;
    for (const tag of tags) {
      for (const key of this.keysByTag.get(tag) ?? []) this.delete(key);
      this.keysByTag.delete(tag);
    }
  }

  clear(): void {
    this.dropped++;
    this.entries.clear();
    this.keysByTag.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const tag of entry.tags) this.keysByTag.get(tag)?.delete(key);
  }
}
