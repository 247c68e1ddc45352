import { createSimd } from '../src/index.js';
import { foreignArrays, kernelContract, memoryArrays } from './support/kernel-contract.js';

// One contract, every implementation: the wasm kernels reading arrays in place, staging
// foreign arrays through scratch memory, a mix of both, and the scalar reference.
kernelContract('wasm, arrays in module memory', () =>
  memoryArrays(createSimd({ backend: 'wasm' })),
);
kernelContract('wasm, foreign arrays (copied in and out)', () =>
  foreignArrays(createSimd({ backend: 'wasm' })),
);
kernelContract('wasm, mixed: a in memory, b and out foreign', () =>
  memoryArrays(createSimd({ backend: 'wasm' }), [1, 2]),
);
kernelContract('scalar', () => foreignArrays(createSimd({ backend: 'scalar' })));
