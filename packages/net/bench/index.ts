// Benchmark suites of @perf/net against the libraries people use today land with issue #9.
console.log('@perf/net: no benchmark suites yet (issue #9)');
