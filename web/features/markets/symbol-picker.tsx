import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useApi } from '../../api/api-context.js';

/** Props of {@link SymbolPicker}. */
export interface SymbolPickerProps {
  value: string;
  onChange: (symbol: string) => void;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Searches instruments (GET /api/v1/assets?search=) and picks one; Escape closes the results. */
export function SymbolPicker({ value, onChange }: SymbolPickerProps) {
  const api = useApi();
  const id = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const search = useDebounced(text.trim(), 200);
  const results = useQuery({
    queryKey: ['assets', search],
    queryFn: ({ signal }) => api.searchAssets(search, signal),
    enabled: open && search !== '',
    staleTime: 5 * 60_000,
  });
  const assets = (results.data ?? []).slice(0, 20);
  const showList = open && search !== '';

  const pick = (symbol: string): void => {
    onChange(symbol);
    setText('');
    setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key === 'Escape') setOpen(false);
  };

  return (
    <div className="symbol-picker" onKeyDown={onKeyDown}>
      <label htmlFor={id} className="visually-hidden">
        Find a symbol
      </label>
      <input
        id={id}
        type="search"
        placeholder={`Find a symbol (showing ${value})`}
        autoComplete="off"
        spellCheck={false}
        value={text}
        aria-controls={`${id}-results`}
        aria-expanded={showList}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
        }}
        onKeyDown={(event) => {
          const first = assets[0];
          if (event.key === 'Enter' && first !== undefined) {
            event.preventDefault();
            pick(first.symbol);
          }
        }}
      />
      {showList ? (
        <ul id={`${id}-results`} className="symbol-results" aria-label="Matching symbols" aria-live="polite">
          {results.isPending ? <li className="muted">Searching…</li> : null}
          {results.isError ? <li role="alert">{results.error.message}</li> : null}
          {results.isSuccess && assets.length === 0 ? (
            <li className="muted">No symbol matches “{search}”.</li>
          ) : null}
          {assets.map((asset) => (
            <li key={asset.symbol}>
              <button type="button" onClick={() => pick(asset.symbol)}>
                <span className="symbol">{asset.symbol}</span>
                <span>{asset.name}</span>
                <span className="muted">{asset.exchange}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
