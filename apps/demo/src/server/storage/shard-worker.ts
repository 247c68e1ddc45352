// Entry point of a storage shard's worker thread (built to dist/shard-worker.js).
import { parentPort, workerData } from 'node:worker_threads';
import { type ShardWorkerData, serveShard } from './shard.js';

void serveShard(parentPort!, workerData as ShardWorkerData);
