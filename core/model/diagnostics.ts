/**
 * @file Diagnostics: what validation, shape inference and parsing report instead of throwing.
 * Every diagnostic has a stable code, names what it concerns (network, node, port, edge or a path
 * in the file) and carries a message a person can act on, plus an optional one-click fix.
 */

export type Severity = 'error' | 'warning' | 'info';

/** Stable codes. Add new ones at the end of a group; never rename one (tests and users rely on them). */
export const DIAGNOSTIC_CODES = [
  // file level
  'E_PROJECT_JSON',
  'E_PROJECT_SCHEMA',
  'E_PROJECT_VERSION',
  'E_PROJECT_TOO_NEW',
  // graph structure
  'E_UNKNOWN_LAYER',
  'E_DUPLICATE_ID',
  'E_DANGLING_EDGE',
  'E_UNKNOWN_PORT',
  'E_PORT_TAKEN',
  'E_PORT_UNCONNECTED',
  'E_CYCLE',
  'E_PARAM_TYPE',
  'E_PARAM_RANGE',
  'E_MISSING_INPUT',
  'E_MISSING_LOSS',
  // shapes
  'E_SHAPE_MISMATCH',
  'E_SHAPE_RANK',
  'E_SHAPE_CHANNELS',
  'W_UNUSED_NODE',
  'W_LARGE_LAYER',
  // added with core/layers
  'E_DTYPE',
  'W_UNKNOWN_PARAM',
  'E_TRACE',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

/** A fix the editor can apply with one click: a plain description of a graph edit. */
export type DiagnosticFix =
  | { kind: 'insertLayer'; label: string; edgeId: string; layerType: string; params: Record<string, unknown> }
  | { kind: 'setParam'; label: string; nodeId: string; param: string; value: unknown }
  | { kind: 'addLayer'; label: string; layerType: string; params: Record<string, unknown>; connectFrom?: { nodeId: string; port: string } };

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  networkId?: string;
  nodeId?: string;
  port?: string;
  edgeId?: string;
  /** JSON path inside the project file, for file-level problems: `networks[0].nodes[3].params.units`. */
  path?: string;
  fix?: DiagnosticFix;
}

export function error(code: DiagnosticCode, message: string, where: Omit<Diagnostic, 'code' | 'severity' | 'message'> = {}): Diagnostic {
  return { code, severity: 'error', message, ...where };
}

export function warning(code: DiagnosticCode, message: string, where: Omit<Diagnostic, 'code' | 'severity' | 'message'> = {}): Diagnostic {
  return { code, severity: 'warning', message, ...where };
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean => diagnostics.some((d) => d.severity === 'error');
