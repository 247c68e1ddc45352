// Benchmark suites of @perf/cache against the libraries people use today land with issue #4.
console.log('@perf/cache: no benchmark suites yet (issue #4)');
