// One half of the "no coordination" ceiling: the CPU-bound map loop of parallel.bench.ts over
// [start, end) of shared arrays, run when the main thread asks. Two of these at once show what
// two threads can gain on this machine right now, with nothing shared but the arrays.
import { parentPort, workerData } from 'node:worker_threads';

const { input, output } = workerData as { input: Float64Array; output: Float64Array };
parentPort!.on('message', ({ start, end }: { start: number; end: number }) => {
  for (let i = start; i < end; i++) output[i] = Math.sqrt(input[i]!) * Math.sin(input[i]!);
  parentPort!.postMessage(0);
});
parentPort!.postMessage('ready');
