/**
 * How readers deal with a problem in one row. A sync stops at the first one (the export is invalid:
 * INVALID_EXPORT). `sources check` passes `onProblem` to hear of every row-level problem and read on;
 * problems that leave the rest of the file unreadable (broken quoting, broken encoding, a bad header)
 * are thrown either way.
 */
import { BasishubError } from '../errors.js';
import type { ExportReader, ReadOptions } from './types.js';

export interface ReaderOptions extends ReadOptions {
  /** When set, a problem that concerns one row is passed here and the row is skipped. */
  onProblem?: (problem: BasishubError) => void;
}

/** An ExportReader (types.ts) that can also read on past problems (`opts.onProblem`). */
export type ProblemReader = ExportReader<ReaderOptions>;

/** Throws the problem, or hands it to `onProblem` when the caller reads on. */
export function report(opts: ReaderOptions | undefined, problem: BasishubError): void {
  if (opts?.onProblem === undefined) throw problem;
  opts.onProblem(problem);
}

/** Runs `fn`; an INVALID_EXPORT it throws is reported (see `report`) rather than thrown when reading on. */
export function guard(opts: ReaderOptions | undefined, fn: () => void): void {
  if (opts?.onProblem === undefined) {
    fn();
    return;
  }
  try {
    fn();
  } catch (e) {
    if (e instanceof BasishubError && e.code === 'INVALID_EXPORT') opts.onProblem(e);
    else throw e;
  }
}
