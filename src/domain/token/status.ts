/**
 * The lifecycle states of a token (the `locked` flag is separate and applies to live tokens).
 * `disabled`: a physical token retired because its user's soft token became active (the manual's
 * "inhabilitado"); like `deleted` it is final and its seed is destroyed, but nobody deleted it.
 * `suspended`: an active token put on hold (a user on leave, an investigation): it confirms nothing
 * and keeps its seed and quota slot until resumed. `lost`: reported lost; it confirms nothing (but
 * its temporary access, if granted, may) and ends deleted or reactivated on a new phone.
 * `unassigned`: a physical token the bank imported in bulk into its company's pool, owned by
 * nobody until `AssignPhysicalToken` gives it to a user.
 */
export const tokenStatuses = ['pending', 'assigned', 'pending-activation', 'active', 'deleted', 'disabled', 'suspended', 'lost', 'unassigned'] as const;

/** One of {@link tokenStatuses}. */
export type TokenStatus = (typeof tokenStatuses)[number];

/** Where a token is before its first event: the stream does not exist. */
export type TokenStatusOrNone = TokenStatus | 'none';

/** Every status but `deleted` and `disabled`: the token holds a quota slot (soft) or can still be used (physical). */
export const liveStatuses: readonly TokenStatus[] = ['pending', 'assigned', 'pending-activation', 'active', 'suspended', 'lost', 'unassigned'];

/** `soft`: the virtual token in the phone app; `physical`: an existing hardware OATH token the bank imported. */
export type TokenKind = 'soft' | 'physical';

/** True for every status but `deleted` and `disabled` (and `none`). */
export const isLive = (status: TokenStatusOrNone): boolean => status !== 'none' && status !== 'deleted' && status !== 'disabled';
