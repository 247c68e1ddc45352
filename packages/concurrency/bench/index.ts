// Benchmark suites of @perf/concurrency against the libraries people use today land with issue #5.
console.log('@perf/concurrency: no benchmark suites yet (issue #5)');
