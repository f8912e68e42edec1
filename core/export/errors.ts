/** @file The one error type of the exporters: a message a person can act on (node ids, names, shapes). */
export class ExportError extends Error {
  override name = 'ExportError';
}
