/** @file Test setup shared by every suite: DOM polyfills React Flow needs under jsdom. */
const g = globalThis as Record<string, unknown>;
if (typeof window !== 'undefined') {
  class ResizeObserverStandIn {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  g.ResizeObserver ??= ResizeObserverStandIn;
  g.DOMMatrixReadOnly ??= class {
    m22 = 1;
    constructor(_transform?: string) {}
  };
}
