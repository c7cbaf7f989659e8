import { SymbolCombobox } from './symbol-combobox.js';

/** Props of {@link SymbolPicker}. */
export interface SymbolPickerProps {
  value: string;
  onChange: (symbol: string) => void;
}

/** Finds an instrument by symbol or name and shows it on the chart. */
export function SymbolPicker({ value, onChange }: SymbolPickerProps) {
  return (
    <div className="symbol-picker">
      <SymbolCombobox
        label="Find a symbol"
        hideLabel
        placeholder={`Find a symbol (showing ${value})`}
        onPick={onChange}
      />
    </div>
  );
}
