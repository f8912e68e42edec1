/** @file Python identifiers for node ids and dataset fields: readable, unique, never a keyword or an nn.Module attribute. */

const RESERVED = new Set([
  // keywords and names the generated code uses
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield', 'self', 'torch', 'nn', 'F', 'np', 'math', 'all_values', 'values', 'super', 'print', 'len', 'range', 'dict', 'list',
  // nn.Module attributes
  'training', 'forward', 'train', 'eval', 'parameters', 'named_parameters', 'modules', 'named_modules', 'children', 'buffers', 'state_dict',
  'load_state_dict', 'to', 'cpu', 'cuda', 'float', 'double', 'half', 'type', 'apply', 'zero_grad', 'register_buffer', 'register_parameter',
  'add_module', 'requires_grad_', 'share_memory', 'extra_repr', 'dump_patches', 'call_super_init',
]);

/** Assigns each key an identifier derived from it; `taken` holds names already in use. */
export class PythonNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly taken = new Set<string>()) {}

  name(key: string): string {
    const known = this.names.get(key);
    if (known) return known;
    let base = key.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(base)) base = `n_${base}`;
    if (RESERVED.has(base)) base = `${base}_`;
    let name = base;
    for (let k = 2; this.taken.has(name); k++) name = `${base}_${k}`;
    this.taken.add(name);
    this.names.set(key, name);
    return name;
  }
}

/** A Python string literal. */
export const pyString = (s: string): string => JSON.stringify(s);
