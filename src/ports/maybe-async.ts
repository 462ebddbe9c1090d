/** Host ports may answer synchronously or with a promise; the SDK accepts both. */
export type MaybePromise<T> = T | Promise<T>;
