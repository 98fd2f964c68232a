// Typed, readable SDK errors. Every error the SDK throws is a StrataError subclass with a message a user can act on.

export class StrataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Invalid arithmetic input: the same inputs make the contract revert. */
export class StrataMathError extends StrataError {}
