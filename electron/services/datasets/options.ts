/**
 * @file Reading a dataset reference's `options` (plain JSON from the project file) with messages
 * that name the dataset and the option, instead of trusting their types.
 */
import { DatasetError } from '../../../core/data';

export class DatasetOptions {
  constructor(
    private readonly options: Record<string, unknown>,
    private readonly where: string,
  ) {}

  private bad(key: string, wanted: string): DatasetError {
    return new DatasetError('E_DATA_BAD_OPTION', `${this.where}: option ${key} must be ${wanted} (got ${JSON.stringify(this.options[key])}).`, { file: this.where });
  }

  number(key: string, min = -Infinity): number | undefined {
    const v = this.options[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw this.bad(key, min > -Infinity ? `a number of at least ${min}` : 'a number');
    return v;
  }

  integer(key: string, min = 0): number | undefined {
    const v = this.number(key, min);
    if (v !== undefined && !Number.isInteger(v)) throw this.bad(key, `a whole number of at least ${min}`);
    return v;
  }

  string(key: string): string | undefined {
    const v = this.options[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw this.bad(key, 'a non-empty string');
    return v;
  }

  oneOf<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const v = this.options[key];
    if (v === undefined) return undefined;
    if (!choices.includes(v as T)) throw this.bad(key, `one of ${choices.join(', ')}`);
    return v as T;
  }

  boolean(key: string): boolean | undefined {
    const v = this.options[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw this.bad(key, 'true or false');
    return v;
  }

  numbers(key: string, length?: number): number[] | undefined {
    const v = this.options[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x)) || (length !== undefined && v.length !== length)) {
      throw this.bad(key, length ? `a list of ${length} numbers` : 'a list of numbers');
    }
    return v as number[];
  }

  strings(key: string): string[] | undefined {
    const v = this.options[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw this.bad(key, 'a list of column names');
    return v as string[];
  }

  record<T extends string>(key: string, values: readonly T[]): Record<string, T> | undefined {
    const v = this.options[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.values(v).some((x) => !values.includes(x as T))) {
      throw this.bad(key, `an object mapping column names to ${values.join(' | ')}`);
    }
    return v as Record<string, T>;
  }
}
