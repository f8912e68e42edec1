/** @file IrError: misuse of the IR or the tracing API, thrown at trace time (programmer-facing). */

export class IrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IrError';
  }
}
