// workerpool needs its own worker script that registers the functions.
const workerpool = require('workerpool');
workerpool.worker({ echo: (x) => x });
