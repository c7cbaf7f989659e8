import { TextField } from '../../ui/text-field.js';
import { ChoiceGroup } from './choice-group.js';
import { ORDER_TYPES, TIMES_IN_FORCE, relevantFields, type OrderDraft } from './order-draft.js';
import { SelectField } from './select-field.js';
import type { DraftErrors, DraftField } from './validate-draft.js';

/** Props of {@link TicketFields}. */
export interface TicketFieldsProps {
  draft: OrderDraft;
  /** The messages to show (only for inputs the user has touched, or all after a review attempt). */
  errors: DraftErrors;
  onChange: (patch: Partial<OrderDraft>, field?: DraftField) => void;
}

const decimalInput = { inputMode: 'decimal', autoComplete: 'off', spellCheck: false } as const;

/** The ticket's inputs: side, amount, type, time in force, and only the prices the type uses. */
export function TicketFields({ draft: d, errors, onChange }: TicketFieldsProps) {
  const show = relevantFields(d);
  const text = (field: DraftField & keyof OrderDraft) => ({
    ...decimalInput,
    value: d[field] as string,
    error: errors[field],
    onChange: (event: { target: { value: string } }) => onChange({ [field]: event.target.value }, field),
  });
  return (
    <>
      <ChoiceGroup
        legend="Side"
        name="side"
        value={d.side}
        options={[
          { value: 'buy', label: 'Buy' },
          { value: 'sell', label: 'Sell' },
        ]}
        onChange={(side) => onChange({ side })}
      />
      <ChoiceGroup
        legend="Amount in"
        name="amount-kind"
        value={d.amountKind}
        options={[
          { value: 'qty', label: 'Shares' },
          { value: 'notional', label: 'Dollars' },
        ]}
        onChange={(amountKind) => onChange({ amountKind }, amountKind)}
      />
      {d.amountKind === 'qty' ? (
        <TextField label="Quantity" hint="Fractions only for market Day orders." {...text('qty')} />
      ) : (
        <TextField label="Amount (USD)" hint="Market Day orders only." {...text('notional')} />
      )}
      <div className="ticket-row">
        <SelectField
          label="Order type"
          options={ORDER_TYPES}
          value={d.type}
          onChange={(event) => onChange({ type: event.target.value as OrderDraft['type'] })}
        />
        <SelectField
          label="Time in force"
          options={TIMES_IN_FORCE}
          value={d.timeInForce}
          error={errors.timeInForce}
          onChange={(event) =>
            onChange({ timeInForce: event.target.value as OrderDraft['timeInForce'] }, 'timeInForce')
          }
        />
      </div>
      {show.stopPrice || show.limitPrice ? (
        <div className="ticket-row">
          {show.stopPrice ? <TextField label="Stop price" {...text('stopPrice')} /> : null}
          {show.limitPrice ? <TextField label="Limit price" {...text('limitPrice')} /> : null}
        </div>
      ) : null}
      {show.trail ? (
        <>
          <ChoiceGroup
            legend="Trail by"
            name="trail-kind"
            value={d.trailKind}
            options={[
              { value: 'price', label: 'Dollars' },
              { value: 'percent', label: 'Percent' },
            ]}
            onChange={(trailKind) => onChange({ trailKind })}
          />
          <TextField
            label={d.trailKind === 'price' ? 'Trail amount (USD)' : 'Trail percent'}
            {...text('trail')}
          />
        </>
      ) : null}
      {show.extendedHours ? (
        <label className="check">
          <input
            type="checkbox"
            checked={d.extendedHours}
            onChange={(event) => onChange({ extendedHours: event.target.checked })}
          />
          Extended hours (pre- and after-market)
        </label>
      ) : null}
      {show.bracket ? (
        <label className="check">
          <input
            type="checkbox"
            checked={d.bracket}
            onChange={(event) => onChange({ bracket: event.target.checked })}
          />
          Bracket: add a take-profit and a stop-loss
        </label>
      ) : null}
      {show.bracketLegs ? (
        <fieldset className="ticket-legs">
          <legend>Exit legs</legend>
          <TextField label="Take profit (limit)" {...text('takeProfit')} />
          <div className="ticket-row">
            <TextField label="Stop loss (stop)" {...text('stopLoss')} />
            <TextField label="Stop loss limit (optional)" {...text('stopLossLimit')} />
          </div>
        </fieldset>
      ) : null}
    </>
  );
}
