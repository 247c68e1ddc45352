// Benchmark suites of @perf/lsm against the libraries people use today land with issue #11.
console.log('@perf/lsm: no benchmark suites yet (issue #11)');
