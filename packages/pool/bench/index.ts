// Benchmark suites of @perf/pool against the libraries people use today land with issue #7.
console.log('@perf/pool: no benchmark suites yet (issue #7)');
