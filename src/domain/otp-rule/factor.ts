import { isTemporaryAccessOpen } from '../token/recovery-codes.js';
import { tokenExists, type Token, type TokenState } from '../token/state.js';

/**
 * The token an actor confirms sensitive commands with: their active soft token, else their active
 * physical token (the Occidente manual's physical token is the factor until the soft token
 * replaces it). An actor with neither is not enrolled and follows the normal flow without an OTP.
 */
export const chooseFactor = (tokens: { readonly soft?: TokenState; readonly physical?: TokenState }): Token | undefined => {
  for (const state of [tokens.soft, tokens.physical]) {
    if (state !== undefined && tokenExists(state) && state.status === 'active') return state;
  }
  return undefined;
};

/**
 * The token whose temporary access confirms in its stead when the actor has no active token: a
 * lost token (soft first) whose one-time codes have not all been used and have not expired.
 */
export const chooseRecoveryFactor = (tokens: { readonly soft?: TokenState; readonly physical?: TokenState }, nowMs: number): Token | undefined => {
  for (const state of [tokens.soft, tokens.physical]) {
    if (state !== undefined && tokenExists(state) && state.status === 'lost' && isTemporaryAccessOpen(state.temporaryAccess, nowMs)) return state;
  }
  return undefined;
};
