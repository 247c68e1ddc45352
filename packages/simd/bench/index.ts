// Benchmark suites of @perf/simd against the libraries people use today land with issue #6.
console.log('@perf/simd: no benchmark suites yet (issue #6)');
