import { Cache, LruCache } from '../src/index.js';
import { syncCacheContract } from './contract.js';

syncCacheContract(
  'Cache (W-TinyLFU)',
  (maximumSize, onEvict) => new Cache({ maximumSize, onEvict }),
);
syncCacheContract(
  'Cache (LRU)',
  (maximumSize, onEvict) => new Cache({ maximumSize, onEvict, policy: 'lru' }),
);
syncCacheContract(
  'Cache (weighted, unit weights)',
  (maximumSize, onEvict) =>
    new Cache({ maximumWeight: maximumSize, weigher: () => 1, onEvict, ttl: 60_000 }),
);
syncCacheContract('LruCache', (maximumSize, onEvict) => new LruCache({ maximumSize, onEvict }));
