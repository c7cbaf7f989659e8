/** Rows of a CSV: the header first, then one array of cells per line. */
export type CsvRows = readonly (readonly (string | number | boolean | null | undefined)[])[];

// Spreadsheet apps run cells starting with these as formulas; a leading quote keeps them text.
const FORMULA = /^[=+\-@\t\r]/;
const NUMERIC = /^-?\d+(\.\d+)?$/;

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA.test(text) && !NUMERIC.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV text (CRLF line ends), with formula-looking cells defused. */
export function toCsv(rows: CsvRows): string {
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Orders as CSV rows. */
export function orderRows(orders: readonly Record<string, unknown>[]): CsvRows {
  const columns = [
    'id',
    'client_order_id',
    'symbol',
    'side',
    'type',
    'time_in_force',
    'qty',
    'notional',
    'limit_price',
    'stop_price',
    'filled_qty',
    'filled_avg_price',
    'status',
    'submitted_at',
    'filled_at',
  ];
  return [columns, ...orders.map((o) => columns.map((c) => scalar(o[c])))];
}

/** Fills as CSV rows. */
export function fillRows(fills: readonly Record<string, unknown>[]): CsvRows {
  const columns = [
    'transaction_time',
    'symbol',
    'side',
    'qty',
    'price',
    'commission',
    'order_id',
    'type',
    'position_qty',
  ];
  return [columns, ...fills.map((f) => columns.map((c) => scalar(f[c])))];
}

const scalar = (value: unknown): string | number | boolean | null =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;

/** Saves `text` as a file named `name` through a temporary Blob URL. */
export function downloadCsv(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
