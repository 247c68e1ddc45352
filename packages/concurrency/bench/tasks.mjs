// The trivial task every pool in the benchmark runs: dispatch cost is all that is measured.
export default function echo(x) {
  return x;
}
