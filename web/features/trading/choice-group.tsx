/** Props of {@link ChoiceGroup}. */
export interface ChoiceGroupProps<V extends string> {
  legend: string;
  name: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
}

/** A row of radio buttons in a fieldset: arrow keys move between them, as native radios do. */
export function ChoiceGroup<V extends string>({
  legend,
  name,
  value,
  options,
  onChange,
}: ChoiceGroupProps<V>) {
  return (
    <fieldset className="choice-group">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className={o.value === value ? 'choice choice-on' : 'choice'}>
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={o.value === value}
            onChange={() => onChange(o.value)}
          />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}
