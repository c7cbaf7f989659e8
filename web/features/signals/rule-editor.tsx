import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { RULE_FUNCTIONS } from '../../../core/signals/index.js';
import { describeProblem, type RuleVerdict } from './rule-check.js';
import { highlightRule, markRanges } from './rule-highlight.js';

/** Props of {@link RuleEditor}. */
export interface RuleEditorProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The live verdict on `value` (checked by the caller for the chosen timeframe). */
  verdict: RuleVerdict;
  hint?: string;
  /** Optional rules may be left empty (no verdict shown then). */
  optional?: boolean;
  rows?: number;
}

/** How long typing must pause before a problem is announced to screen readers. */
const ANNOUNCE_AFTER_MS = 600;

/**
 * A rule editor: a transparent textarea over a highlighted copy of its text, problems from the
 * rule checker underlined and listed under it (line, column, what was expected), announced through a
 * polite live region once typing pauses. Every problem is a button that puts the caret on it.
 */
export function RuleEditor({
  label,
  value,
  onChange,
  verdict,
  hint,
  optional = false,
  rows = 3,
}: RuleEditorProps) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const layer = useRef<HTMLPreElement>(null);
  const empty = value.trim() === '';
  const problems = verdict.ok || (optional && empty) ? [] : verdict.problems;
  const segments = useMemo(
    () =>
      markRanges(
        highlightRule(value),
        problems.map((p) => ({ start: p.start, end: Math.max(p.end, p.start + 1) })),
      ),
    [value, problems],
  );
  const summary = problems.length === 0 ? '' : problems.map(describeProblem).join(' ');
  const [announced, setAnnounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setAnnounced(summary), ANNOUNCE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [summary]);

  const sync = () => {
    if (area.current === null || layer.current === null) return;
    layer.current.scrollTop = area.current.scrollTop;
    layer.current.scrollLeft = area.current.scrollLeft;
  };
  const goTo = (start: number, end: number) => {
    const el = area.current;
    if (el === null) return;
    el.focus();
    el.setSelectionRange(start, Math.max(start, end));
  };
  const describedBy = [
    hint === undefined ? null : `${id}-hint`,
    problems.length > 0 ? `${id}-problems` : null,
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <div className="field rule-field">
      <label htmlFor={id}>{label}</label>
      <div className="rule-editor" data-invalid={problems.length > 0 ? 'true' : undefined}>
        <pre ref={layer} className="rule-layer" aria-hidden="true">
          {segments.map((s) => (
            <span
              key={s.start}
              className={`tok-${s.kind}${s.flagged ? ' tok-flagged' : ''}`}
              data-kind={s.kind}
            >
              {s.text}
            </span>
          ))}
          {/* A trailing newline needs something after it to take up a line. */}
          {value.endsWith('\n') || value === '' ? ' ' : null}
        </pre>
        <textarea
          ref={area}
          id={id}
          className="rule-input"
          value={value}
          rows={rows}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          aria-invalid={problems.length > 0 ? true : undefined}
          aria-describedby={describedBy === '' ? undefined : describedBy}
          onChange={(e) => onChange(e.target.value)}
          onScroll={sync}
        />
      </div>
      {hint === undefined ? null : (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {problems.length === 0 ? null : (
        <ul id={`${id}-problems`} className="rule-problems" data-testid="rule-problems">
          {problems.map((p) => (
            <li key={`${p.line}:${p.column}:${p.message}`}>
              <button type="button" className="link-button" onClick={() => goTo(p.start, p.end)}>
                <span data-testid="problem-position">
                  Line {p.line}, column {p.column}
                </span>
              </button>
              : {p.message}
              {p.expected.length > 0 && !p.expected.every((e) => p.message.includes(e)) ? (
                <span className="muted"> (expected {p.expected.join(' or ')})</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <p className="visually-hidden" aria-live="polite" role="status">
        {announced === '' ? '' : `${label}: ${announced}`}
      </p>
    </div>
  );
}

/** The rule language's functions, searchable; pressing one hands `name(` to `onInsert`. */
export function FunctionHelp({ onInsert }: { onInsert: (text: string) => void }) {
  const [query, setQuery] = useState('');
  const id = useId();
  const q = query.trim().toLowerCase();
  const shown = RULE_FUNCTIONS.filter(
    (f) => q === '' || f.name.includes(q) || f.summary.toLowerCase().includes(q),
  );
  return (
    <details className="function-help">
      <summary>Functions ({RULE_FUNCTIONS.length})</summary>
      <div className="field">
        <label htmlFor={id}>Find a function</label>
        <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      <p className="muted">
        Bar fields: open, high, low, close, volume, hl2, hlc3, ohlc4. Operators: + − × / %, comparisons, and,
        or, not, crosses_above, crosses_below. A last string argument picks a timeframe: sma(close, 20,
        &quot;1Day&quot;).
      </p>
      <ul className="function-list" aria-label="Functions">
        {shown.map((f) => (
          <li key={f.name}>
            <button
              type="button"
              className="link-button"
              aria-label={`Insert ${f.name}`}
              onClick={() => onInsert(`${f.name}(`)}
            >
              <code>{f.signature}</code>
            </button>
            <span className="muted"> {f.summary}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
