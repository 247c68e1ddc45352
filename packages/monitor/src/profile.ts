// CPU profiling through node:inspector: the V8 sampling profiler, written as a .cpuprofile
// (the JSON of the DevTools protocol's Profiler.Profile), which Chrome DevTools
// (Performance › Load profile), speedscope and VS Code open as they are.

import { Session } from 'node:inspector';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ProfilerError } from './errors.js';
import { checkFunction, checkInteger, checkOptions, describe } from './internal/validate.js';
import type { CpuProfile, ProfileOptions, ProfileResult, Profiler } from './types.js';

/**
 * One profile per thread at a time, also across duplicate copies of this package (ESM and
 * CJS builds loaded together): the flag lives on globalThis under a registered symbol.
 */
const ACTIVE = Symbol.for('@perf/monitor/profiler-active');
type Flagged = { [ACTIVE]?: boolean };

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (err, result) => {
      if (err)
        reject(
          new ProfilerError('PERF_MONITOR_PROFILER_FAILED', `Inspector refused ${method}`, {
            cause: err,
          }),
        );
      else resolve(result as T);
    });
  });
}

/**
 * Starts the V8 CPU profiler and returns a {@link Profiler} whose `stop()` ends the window
 * and returns the profile (and writes it when a `file` was given). Throws
 * {@link ProfilerError} `PERF_MONITOR_PROFILER_BUSY` while another profile is running.
 */
export async function startProfiling(options: ProfileOptions = {}): Promise<Profiler> {
  checkOptions('options', options);
  const interval = checkInteger('samplingInterval', options.samplingInterval ?? 100, 1, 1_000_000);
  if (options.file !== undefined && typeof options.file !== 'string') {
    throw new TypeError(`Expected \`file\` to be a string, got ${describe(options.file)}`);
  }
  const flags = globalThis as Flagged;
  if (flags[ACTIVE]) {
    throw new ProfilerError(
      'PERF_MONITOR_PROFILER_BUSY',
      'A CPU profile is already being recorded in this thread',
    );
  }
  flags[ACTIVE] = true;
  const session = new Session();
  try {
    session.connect();
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval });
    await post(session, 'Profiler.start');
  } catch (error) {
    session.disconnect();
    flags[ACTIVE] = false;
    throw error;
  }
  let stopped: Promise<CpuProfile> | undefined;
  return {
    stop(): Promise<CpuProfile> {
      stopped ??= (async () => {
        try {
          const { profile } = await post<{ profile: CpuProfile }>(session, 'Profiler.stop');
          if (options.file !== undefined) await writeCpuProfile(options.file, profile);
          return profile;
        } finally {
          session.disconnect();
          flags[ACTIVE] = false;
        }
      })();
      return stopped;
    },
  };
}

/**
 * Profiles one call of `fn` (sync or async): starts the profiler, runs `fn`, stops, and
 * returns the result with the profile. The profile is stopped (and written) also when `fn`
 * throws; the error is rethrown.
 */
export async function profile<T>(
  fn: () => T | Promise<T>,
  options: ProfileOptions = {},
): Promise<ProfileResult<T>> {
  checkFunction('fn', fn);
  const profiler = await startProfiling(options);
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await profiler.stop();
    throw error;
  }
  return { result, profile: await profiler.stop() };
}

/** Writes a profile as a `.cpuprofile` file (creating its folder). */
export async function writeCpuProfile(file: string, cpuProfile: CpuProfile): Promise<void> {
  if (typeof file !== 'string')
    throw new TypeError(`Expected \`file\` to be a string, got ${describe(file)}`);
  if (typeof cpuProfile !== 'object' || cpuProfile === null || !Array.isArray(cpuProfile.nodes)) {
    throw new TypeError(`Expected \`cpuProfile\` to be a CPU profile, got ${describe(cpuProfile)}`);
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(cpuProfile));
}
