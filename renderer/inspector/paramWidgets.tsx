/**
 * @file The inspector's parameter widgets, one per kind of the params DSL
 * (`{ [K in ParamKind]: Widget }`, checked exhaustive by the compiler). Text-like widgets keep a
 * draft while it does not parse; every value that parses is committed (core/model then reports
 * ranges and rules), and keystrokes in one field fold into one undo step.
 */
import { useEffect, useState, type ComponentType } from 'react';
import type { ParamSpec } from '../../core/layers';

export type ParamKind = ParamSpec['kind'];

export interface WidgetProps<S extends ParamSpec> {
  id: string;
  spec: S;
  value: unknown;
  onChange(value: unknown): void;
}

type Widgets = { [K in ParamKind]: ComponentType<WidgetProps<Extract<ParamSpec, { kind: K }>>> };

/** A text field that commits whenever its text parses, and follows outside changes (undo). */
function DraftField({ id, value, parse, format, onChange, mono = true }: { id: string; value: unknown; parse(text: string): unknown; format(value: unknown): string; onChange(value: unknown): void; mono?: boolean }) {
  const [draft, setDraft] = useState(() => format(value));
  useEffect(() => {
    setDraft((current) => (Object.is(parse(current), value) || JSON.stringify(parse(current)) === JSON.stringify(value) ? current : format(value)));
  }, [value]);
  const parsed = parse(draft);
  return (
    <input
      id={id}
      className={`input input--small${mono ? ' input--mono' : ''}${parsed === undefined ? ' is-invalid' : ''}`}
      value={draft}
      onChange={(e) => {
        setDraft(e.target.value);
        const next = parse(e.target.value);
        if (next !== undefined) onChange(next);
      }}
      data-testid={`param-${id}`}
    />
  );
}

const parseNumber = (whole: boolean) => (text: string): number | undefined => {
  if (!text.trim()) return undefined;
  const n = Number(text.trim());
  return Number.isFinite(n) && (!whole || Number.isInteger(n)) ? n : undefined;
};
const formatPlain = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const parseInts = (text: string): number[] | undefined => {
  const parts = text.split(/[\s,x×]+/).filter(Boolean);
  const numbers = parts.map(Number);
  return numbers.every((n) => Number.isInteger(n)) ? numbers : undefined;
};
const formatInts = (value: unknown): string => (Array.isArray(value) ? value.join(', ') : '');

export const PARAM_WIDGETS: Widgets = {
  int: ({ id, value, onChange }) => <DraftField id={id} value={value} parse={parseNumber(true)} format={formatPlain} onChange={onChange} />,
  float: ({ id, value, onChange }) => <DraftField id={id} value={value} parse={parseNumber(false)} format={formatPlain} onChange={onChange} />,
  bool: ({ id, value, onChange }) => <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} data-testid={`param-${id}`} />,
  choice: ({ id, spec, value, onChange }) => (
    <select id={id} className="input input--small" value={typeof value === 'string' ? value : spec.default} onChange={(e) => onChange(e.target.value)} data-testid={`param-${id}`}>
      {spec.options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  ),
  ints: ({ id, value, onChange }) => <DraftField id={id} value={value} parse={parseInts} format={formatInts} onChange={onChange} />,
  string: ({ id, value, onChange }) => <DraftField id={id} value={value} parse={(t) => t} format={formatPlain} onChange={onChange} mono={false} />,
};

/** Renders the widget of a spec's kind. */
export function ParamWidget({ id, spec, value, onChange }: WidgetProps<ParamSpec>) {
  const Widget = PARAM_WIDGETS[spec.kind] as ComponentType<WidgetProps<ParamSpec>>;
  return <Widget id={id} spec={spec} value={value} onChange={onChange} />;
}
