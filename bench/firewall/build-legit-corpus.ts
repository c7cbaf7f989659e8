// Builds legit-corpus.jsonl: realistic, deterministic requests of Pulse's API, including the inputs that
// generic WAF rules misread (signal expressions, notes with `&&`, `--` and quotes, non-Latin names, emoji).
// Usage: npx tsx bench/firewall/build-legit-corpus.ts > bench/firewall/legit-corpus.jsonl
import { LEGIT_TEXT } from './legit-text.js';

interface Line {
  id: string;
  method: string;
  uri: string;
  headers: Record<string, string>;
  body?: string;
}

const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'curl/8.5.0',
  'python-requests/2.32.3',
  'pulse-cli/0.1.0 (node v20.19.0)',
];
const SYMBOLS = [
  'AAPL',
  'MSFT',
  'NVDA',
  'AMZN',
  'GOOGL',
  'META',
  'TSLA',
  'BRK.B',
  'JPM',
  'PG',
  'KO',
  'XOM',
  'SPY',
  'QQQ',
  'BF.B',
  'T',
];
const TIMEFRAMES = ['1Min', '5Min', '15Min', '1Hour', '1Day'];

let seed = 42;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
function pick<T>(items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}
function token(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}
function uuid(): string {
  const hex = () => Math.floor(random() * 16).toString(16);
  return `${Array.from({ length: 8 }, hex).join('')}-${Array.from({ length: 4 }, hex).join('')}-4${Array.from({ length: 3 }, hex).join('')}-a${Array.from({ length: 3 }, hex).join('')}-${Array.from({ length: 12 }, hex).join('')}`;
}

function headers(json: boolean, signedIn = true): Record<string, string> {
  const agent = pick(AGENTS);
  const browser = agent.startsWith('Mozilla');
  const h: Record<string, string> = {
    Host: pick(['localhost:3000', 'pulse.example.com', '192.168.1.20:3000', '127.0.0.1:3000']),
    'User-Agent': agent,
    Accept: json ? 'application/json' : 'application/json, text/plain, */*',
  };
  if (browser) {
    h['Accept-Language'] = pick([
      'en-US,en;q=0.9',
      'de-DE,de;q=0.9,en;q=0.8',
      'ru-RU,ru;q=0.9,en-US;q=0.8',
      'ja,en-US;q=0.9,en;q=0.8',
      'zh-CN,zh;q=0.9',
    ]);
    h['Accept-Encoding'] = 'gzip, deflate, br, zstd';
    h['sec-ch-ua'] = '"Not/A)Brand";v="8", "Chromium";v="126", "Google Chrome";v="126"';
    h['sec-ch-ua-platform'] = '"Windows"';
    h['Sec-Fetch-Site'] = 'same-origin';
    h['Sec-Fetch-Mode'] = 'cors';
    h.Referer = `https://pulse.example.com/${pick(['markets', 'trading', 'signals', 'portfolio', 'markets/AAPL?tf=5Min', 'signals/new'])}`;
  }
  if (signedIn) {
    h.Cookie = `pulse_session=${token(43)}${random() < 0.3 ? `; theme=dark; _ga=GA1.1.${Math.floor(random() * 1e9)}.${1_700_000_000 + Math.floor(random() * 1e7)}` : ''}`;
    h['x-csrf-token'] = token(32);
  }
  if (json) h['Content-Type'] = 'application/json';
  return h;
}

const lines: Line[] = [];
const add = (kind: string, method: string, uri: string, body?: unknown, signedIn = true) =>
  lines.push({
    id: `legit:${kind}-${lines.length + 1}`,
    method,
    uri,
    headers: headers(body !== undefined, signedIn),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const day = () => `2024-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`;

add('setup', 'GET', '/api/v1/setup', undefined, false);
for (const [email, password] of LEGIT_TEXT.credentials)
  add('owner-setup', 'POST', '/api/v1/setup/owner', { email, password }, false);
for (const [email, password] of LEGIT_TEXT.credentials)
  add('sign-in', 'POST', '/api/v1/auth/login', { email, password }, false);
for (let i = 0; i < 10; i++) add('me', 'GET', '/api/v1/auth/me');
for (let i = 0; i < 60; i++) {
  const symbols = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(SYMBOLS)).join(',');
  const start = `${day()}T13:30:00Z`;
  add(
    'bars',
    'GET',
    `/api/v1/bars?symbols=${encodeURIComponent(symbols).replaceAll('%2C', ',')}&timeframe=${pick(TIMEFRAMES)}&start=${start}&end=${start.replace('13:30', '20:00')}${random() < 0.5 ? `&limit=${pick([100, 500, 1000])}` : ''}`,
  );
}
for (const search of LEGIT_TEXT.assetSearches)
  add('assets-search', 'GET', `/api/v1/assets?search=${encodeURIComponent(search)}`);
for (const symbol of SYMBOLS) add('asset', 'GET', `/api/v1/assets/${encodeURIComponent(symbol)}`);
for (let i = 0; i < 6; i++) add('calendar', 'GET', `/api/v1/calendar?start=${day()}&end=${day()}`);
add('clock', 'GET', '/api/v1/clock');
for (let i = 0; i < 70; i++) {
  const type = pick(['market', 'limit', 'stop', 'stop_limit']);
  const order: Record<string, unknown> = {
    symbol: pick(SYMBOLS),
    qty: String(1 + Math.floor(random() * 200)),
    side: pick(['buy', 'sell']),
    type,
    time_in_force: pick(['day', 'gtc', 'ioc', 'opg']),
    client_order_id: random() < 0.5 ? uuid() : `ticket-${token(10)}`,
  };
  if (type.includes('limit')) order.limit_price = (10 + random() * 500).toFixed(2);
  if (type.includes('stop')) order.stop_price = (10 + random() * 500).toFixed(2);
  if (random() < 0.5) order.note = pick(LEGIT_TEXT.notes);
  add('order', 'POST', '/api/v1/orders', order);
}
for (let i = 0; i < 12; i++)
  add(
    'order-list',
    'GET',
    `/api/v1/orders?status=${pick(['open', 'closed', 'all'])}&limit=50&after=${day()}T00:00:00Z&direction=desc`,
  );
for (let i = 0; i < 8; i++) add('order-cancel', 'DELETE', `/api/v1/orders/${uuid()}`);
for (const expression of LEGIT_TEXT.expressions) {
  const signal = {
    name: pick(LEGIT_TEXT.names),
    expression,
    symbols: [pick(SYMBOLS), pick(SYMBOLS)],
    timeframe: pick(TIMEFRAMES),
    note: pick(LEGIT_TEXT.notes),
    channels: [{ type: 'webhook', url: pick(LEGIT_TEXT.webhooks) }],
    auto_trade: random() < 0.3,
  };
  add('signal-create', 'POST', '/api/v1/signals', signal);
  add('signal-validate', 'POST', '/api/v1/signals/validate', { expression });
}
for (let i = 0; i < 10; i++)
  add('signal-update', 'PATCH', `/api/v1/signals/${uuid()}`, {
    expression: pick(LEGIT_TEXT.expressions),
    note: pick(LEGIT_TEXT.notes),
  });
for (const url of LEGIT_TEXT.webhooks)
  add('webhook', 'POST', '/api/v1/notify/channels', {
    type: 'webhook',
    name: pick(LEGIT_TEXT.names),
    webhook_url: url,
  });
for (const name of LEGIT_TEXT.names)
  add('profile', 'PATCH', '/api/v1/account/profile', {
    display_name: name,
    timezone: pick(['America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'Europe/Moscow']),
  });
for (const note of LEGIT_TEXT.notes)
  add('journal', 'POST', '/api/v1/journal', {
    symbol: pick(SYMBOLS),
    title: pick(LEGIT_TEXT.names),
    body: note,
    tags: ['earnings', 'swing'],
  });
for (let i = 0; i < 8; i++)
  add('watchlist', 'PUT', `/api/v1/watchlists/${uuid()}`, {
    name: pick(LEGIT_TEXT.names),
    symbols: SYMBOLS.slice(0, 3 + Math.floor(random() * 12)),
  });
for (let i = 0; i < 6; i++)
  add('backtest', 'POST', '/api/v1/backtests', {
    expression: pick(LEGIT_TEXT.expressions),
    symbol: pick(SYMBOLS),
    timeframe: '1Day',
    start: `${day()}T00:00:00Z`,
    end: `${day()}T00:00:00Z`,
    initial_cash: '100000.00',
    fill_model: { slippage_bps: 2, commission: '0.00' },
  });
add('portfolio', 'GET', '/api/v1/portfolio/history?period=1M&timeframe=1D');
add('positions', 'GET', '/api/v1/positions');
add('long-json', 'POST', '/api/v1/orders/batch', {
  orders: Array.from({ length: 40 }, (_, i) => ({
    symbol: SYMBOLS[i % SYMBOLS.length],
    qty: String(i + 1),
    side: i % 2 ? 'sell' : 'buy',
    type: 'limit',
    limit_price: (100 + i).toFixed(2),
    time_in_force: 'day',
    client_order_id: uuid(),
    note: LEGIT_TEXT.notes[i % LEGIT_TEXT.notes.length],
  })),
});
add('vitals', 'POST', '/api/v1/ops/vitals', {
  name: 'LCP',
  value: 1834.2,
  rating: 'good',
  id: `v4-${Date.UTC(2024, 2, 12)}-${token(12)}`,
  navigationType: 'navigate',
  url: 'https://pulse.example.com/markets?tf=5Min',
});
add('logout', 'POST', '/api/v1/auth/logout', {});

for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
