import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useApi } from '../../api/api-context.js';

/** Props of {@link SymbolCombobox}. */
export interface SymbolComboboxProps {
  label: string;
  placeholder?: string;
  /** Called with the chosen symbol; the input then clears. */
  onPick: (symbol: string) => void;
  /** Hides the label visually (it still names the input). */
  hideLabel?: boolean;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * Typeahead over GET /api/v1/assets?search= following the ARIA combobox pattern: ↓/↑ move through
 * the options (aria-activedescendant), Enter picks the active one (or the first), Escape closes.
 */
export function SymbolCombobox({ label, placeholder, onPick, hideLabel = false }: SymbolComboboxProps) {
  const api = useApi();
  const id = useId();
  const listId = `${id}-listbox`;
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const search = useDebounced(text.trim(), 150);
  const results = useQuery({
    queryKey: ['assets', search],
    queryFn: ({ signal }) => api.searchAssets(search, signal),
    enabled: search !== '',
    staleTime: 5 * 60_000,
  });
  const assets = search === text.trim() ? (results.data ?? []).slice(0, 8) : [];
  const expanded = open && text.trim() !== '';
  const activeAsset = active >= 0 ? assets[active] : undefined;

  useEffect(() => setActive(-1), [search]);

  const pick = (symbol: string): void => {
    onPick(symbol);
    setText('');
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      if (assets.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + assets.length) % assets.length);
    } else if (event.key === 'Enter') {
      const chosen = activeAsset ?? assets[0];
      if (expanded && chosen !== undefined) {
        event.preventDefault();
        pick(chosen.symbol);
      }
    } else if (event.key === 'Escape') {
      if (expanded) event.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };

  let status: string | null = null;
  if (expanded) {
    if (search !== text.trim() || results.isFetching) status = 'Searching…';
    else if (results.isError) status = results.error.message;
    else if (assets.length === 0) status = `No symbol matches “${search}”.`;
  }

  return (
    <div className="combobox">
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <input
        id={id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded && assets.length > 0}
        aria-controls={listId}
        aria-activedescendant={activeAsset === undefined ? undefined : `${id}-option-${active}`}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label={`${label}: matches`}
        className="combobox-options"
        hidden={!expanded || assets.length === 0}
      >
        {assets.map((asset, index) => (
          <li
            key={asset.symbol}
            id={`${id}-option-${index}`}
            role="option"
            aria-selected={index === active}
            // Keep focus in the input so the keyboard flow continues after a click.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => pick(asset.symbol)}
          >
            <span className="symbol">{asset.symbol}</span>
            <span className="combobox-name">{asset.name}</span>
          </li>
        ))}
      </ul>
      <div className="combobox-status muted" role="status">
        {status}
      </div>
    </div>
  );
}
