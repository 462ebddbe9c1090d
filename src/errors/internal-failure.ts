/**
 * An error the SDK itself throws inside its own callbacks (a projection's fold, an upcaster run)
 * whose message the SDK wrote and knows to be free of secrets. Not exported from any entry point:
 * a host cannot make one, so a host's text never passes for the SDK's.
 */
export class SdkInternalFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SdkInternalFailure';
  }
}

