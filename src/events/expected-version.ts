/**
 * What a writer expects of a stream before its append:
 * - a number n: the stream holds exactly n events (0 is the same as `'no-stream'`);
 * - `'no-stream'`: the stream does not exist yet;
 * - `'any'`: no expectation (use sparingly: it gives up optimistic concurrency).
 */
export type ExpectedVersion = number | 'no-stream' | 'any';
