/**
 * @file Dataset import errors: one typed error with a stable code, the file, and where in it
 * (line, sample), so that the command line and the studio can show one actionable line.
 */

export type DatasetErrorCode =
  | 'E_DATA_NOT_FOUND'
  | 'E_DATA_EMPTY'
  | 'E_DATA_WRONG_FORMAT'
  | 'E_DATA_MALFORMED_ROW'
  | 'E_DATA_MIXED_TYPES'
  | 'E_DATA_NOT_FINITE'
  | 'E_DATA_MISSING_VALUE'
  | 'E_DATA_UNKNOWN_COLUMN'
  | 'E_DATA_SINGLE_CLASS'
  | 'E_DATA_WINDOW_TOO_LONG'
  | 'E_DATA_IMAGE_UNREADABLE'
  | 'E_DATA_IMAGE_SIZE'
  | 'E_DATA_SHAPE'
  | 'E_DATA_UNSUPPORTED'
  | 'E_DATA_BAD_OPTION';

export interface DatasetErrorWhere {
  file?: string;
  /** 1-based line in a text file. */
  line?: number;
  /** 0-based sample (or row) index. */
  sample?: number;
}

export class DatasetError extends Error {
  constructor(
    readonly code: DatasetErrorCode,
    message: string,
    readonly where: DatasetErrorWhere = {},
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}

/** The first few items of a list, then "and N more" ("lines 3, 7, 9 and 12 more"). */
export function firstFew(items: readonly (number | string)[], shown = 5): string {
  const head = items.slice(0, shown).join(', ');
  return items.length > shown ? `${head} and ${items.length - shown} more` : head;
}
