// Benchmark suites of @perf/balance against the libraries people use today land with issue #8.
console.log('@perf/balance: no benchmark suites yet (issue #8)');
