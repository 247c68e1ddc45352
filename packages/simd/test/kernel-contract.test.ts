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
kernelContract('wasm, inputs in memory and outputs foreign', () =>
  memoryArrays(createSimd({ backend: 'wasm' }), [2, 3]),
);
kernelContract('wasm, first input foreign', () =>
  memoryArrays(createSimd({ backend: 'wasm' }), [0]),
);
kernelContract('scalar', () => foreignArrays(createSimd({ backend: 'scalar' })));
