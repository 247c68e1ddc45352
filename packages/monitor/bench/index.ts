// Benchmark suites of @perf/monitor against the libraries people use today land with issue #3.
console.log('@perf/monitor: no benchmark suites yet (issue #3)');
