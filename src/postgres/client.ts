/**
 * The little of node-postgres the adapters use. A `pg.Pool` fits as it is; so does anything with
 * the same `query` / `connect` shape (a pool of another driver, an embedded PostgreSQL behind a
 * small wrapper), which is why the adapters do not import `pg` themselves.
 */

/** One statement with its parameters. `name` makes it a prepared statement on each connection. */
export interface PgQueryConfig {
  readonly text: string;
  readonly values?: readonly unknown[];
  readonly name?: string;
  readonly rowMode?: 'array';
}

/** What a query answers: the rows (arrays when `rowMode: 'array'`, objects otherwise). */
export interface PgQueryResult {
  readonly rows: readonly unknown[];
}

/** Anything that runs a query: a pool, or one connection taken from it. */
export interface PgQueryable {
  /** Runs one statement. */
  query(config: PgQueryConfig): Promise<PgQueryResult>;
}

/**
 * A connection taken from a pool; `release` gives it back (`release(true)` discards it). Where it
 * is an event emitter (node-postgres), the adapters listen for `error` while they hold it, so a
 * connection that dies between two statements fails the next statement instead of the process.
 */
export interface PgPoolClient extends PgQueryable {
  /** Gives the connection back to the pool, or destroys it. */
  release(destroy?: boolean | Error): void;
  /** Listens for the connection's errors (a terminated backend, a dropped socket). */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  /** Stops listening for the connection's errors. */
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** A pool of connections: `query` on any free connection, `connect` to keep one for a while. */
export interface PgPool extends PgQueryable {
  /** Takes one connection out of the pool until it is released. */
  connect(): Promise<PgPoolClient>;
}
