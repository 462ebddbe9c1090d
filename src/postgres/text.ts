const SURROGATE_PAIR = /[\ud800-\udbff][\udc00-\udfff]/g;
const LONE_SURROGATE = /[\ud800-\udfff]/;

/**
 * Whether PostgreSQL stores `text` exactly as given. It cannot hold U+0000, and a lone surrogate
 * would reach it as U+FFFD, so two different ids could name one row. Ids kept in columns (stream
 * ids, command ids, projection names) are checked with this; event payloads are stored as JSON
 * text, where such characters are escaped and survive.
 */
export const isStorableText = (text: string): boolean => !text.includes('\u0000') && !LONE_SURROGATE.test(text.replace(SURROGATE_PAIR, ''));
