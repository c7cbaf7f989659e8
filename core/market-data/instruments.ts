/** Listing venue of an instrument, as Alpaca names it. */
export type ListingExchange = 'NASDAQ' | 'NYSE' | 'ARCA';

/** A tradable US-listed symbol with the parameters the simulator needs. */
export type Instrument = {
  symbol: string;
  name: string;
  exchange: ListingExchange;
  sector: string;
  /** A plausible 2025 price in dollars: the simulator anchors recent prices near it. */
  basePrice: number;
  beta: number;
  /** Annualised volatility of daily returns, e.g. 0.3 = 30%. */
  volatility: number;
  avgDailyVolume: number;
  fractionable: boolean;
  simulated: boolean;
};

type Row = [string, string, ListingExchange, string, number, number, number, number];

// symbol, name, exchange, sector, basePrice, beta, volatility, average daily volume
const ROWS: Row[] = [
  ['AAPL', 'Apple Inc.', 'NASDAQ', 'Technology', 230, 1.2, 0.27, 55_000_000],
  ['MSFT', 'Microsoft Corporation', 'NASDAQ', 'Technology', 480, 1.1, 0.24, 21_000_000],
  ['NVDA', 'NVIDIA Corporation', 'NASDAQ', 'Technology', 175, 1.7, 0.5, 190_000_000],
  ['AVGO', 'Broadcom Inc.', 'NASDAQ', 'Technology', 330, 1.4, 0.45, 25_000_000],
  ['AMD', 'Advanced Micro Devices, Inc.', 'NASDAQ', 'Technology', 160, 1.8, 0.52, 45_000_000],
  ['INTC', 'Intel Corporation', 'NASDAQ', 'Technology', 24, 1.1, 0.45, 90_000_000],
  ['ORCL', 'Oracle Corporation', 'NYSE', 'Technology', 230, 1.1, 0.38, 12_000_000],
  ['CRM', 'Salesforce, Inc.', 'NYSE', 'Technology', 250, 1.2, 0.33, 7_000_000],
  ['ADBE', 'Adobe Inc.', 'NASDAQ', 'Technology', 370, 1.2, 0.34, 3_500_000],
  ['CSCO', 'Cisco Systems, Inc.', 'NASDAQ', 'Technology', 68, 0.9, 0.22, 20_000_000],
  ['QCOM', 'QUALCOMM Incorporated', 'NASDAQ', 'Technology', 160, 1.3, 0.36, 8_000_000],
  ['IBM', 'International Business Machines Corporation', 'NYSE', 'Technology', 260, 0.8, 0.25, 4_500_000],
  ['GOOGL', 'Alphabet Inc. Class A', 'NASDAQ', 'Communication Services', 200, 1.1, 0.3, 30_000_000],
  ['META', 'Meta Platforms, Inc.', 'NASDAQ', 'Communication Services', 700, 1.3, 0.38, 13_000_000],
  ['NFLX', 'Netflix, Inc.', 'NASDAQ', 'Communication Services', 1200, 1.3, 0.36, 4_000_000],
  ['DIS', 'The Walt Disney Company', 'NYSE', 'Communication Services', 115, 1.1, 0.27, 9_000_000],
  ['T', 'AT&T Inc.', 'NYSE', 'Communication Services', 28, 0.6, 0.2, 35_000_000],
  ['VZ', 'Verizon Communications Inc.', 'NYSE', 'Communication Services', 43, 0.4, 0.18, 18_000_000],
  ['AMZN', 'Amazon.com, Inc.', 'NASDAQ', 'Consumer Discretionary', 225, 1.3, 0.33, 40_000_000],
  ['TSLA', 'Tesla, Inc.', 'NASDAQ', 'Consumer Discretionary', 330, 2.0, 0.65, 100_000_000],
  ['HD', 'The Home Depot, Inc.', 'NYSE', 'Consumer Discretionary', 380, 1.0, 0.23, 3_500_000],
  ['MCD', "McDonald's Corporation", 'NYSE', 'Consumer Discretionary', 300, 0.6, 0.18, 3_500_000],
  ['NKE', 'NIKE, Inc.', 'NYSE', 'Consumer Discretionary', 70, 1.1, 0.35, 12_000_000],
  ['SBUX', 'Starbucks Corporation', 'NASDAQ', 'Consumer Discretionary', 90, 0.9, 0.3, 9_000_000],
  ['WMT', 'Walmart Inc.', 'NYSE', 'Consumer Staples', 98, 0.5, 0.2, 18_000_000],
  ['COST', 'Costco Wholesale Corporation', 'NASDAQ', 'Consumer Staples', 950, 0.8, 0.22, 2_000_000],
  ['PG', 'The Procter & Gamble Company', 'NYSE', 'Consumer Staples', 155, 0.4, 0.16, 7_000_000],
  ['KO', 'The Coca-Cola Company', 'NYSE', 'Consumer Staples', 70, 0.5, 0.15, 14_000_000],
  ['PEP', 'PepsiCo, Inc.', 'NASDAQ', 'Consumer Staples', 145, 0.5, 0.18, 7_000_000],
  ['JPM', 'JPMorgan Chase & Co.', 'NYSE', 'Financials', 290, 1.1, 0.24, 9_000_000],
  ['BAC', 'Bank of America Corporation', 'NYSE', 'Financials', 47, 1.3, 0.28, 38_000_000],
  ['WFC', 'Wells Fargo & Company', 'NYSE', 'Financials', 80, 1.2, 0.28, 16_000_000],
  ['GS', 'The Goldman Sachs Group, Inc.', 'NYSE', 'Financials', 720, 1.3, 0.28, 2_500_000],
  ['MS', 'Morgan Stanley', 'NYSE', 'Financials', 140, 1.3, 0.28, 6_000_000],
  ['V', 'Visa Inc.', 'NYSE', 'Financials', 345, 0.9, 0.2, 7_000_000],
  ['MA', 'Mastercard Incorporated', 'NYSE', 'Financials', 570, 1.0, 0.21, 3_000_000],
  ['BRK.B', 'Berkshire Hathaway Inc. Class B', 'NYSE', 'Financials', 490, 0.8, 0.17, 4_000_000],
  ['JNJ', 'Johnson & Johnson', 'NYSE', 'Health Care', 170, 0.5, 0.17, 7_500_000],
  ['UNH', 'UnitedHealth Group Incorporated', 'NYSE', 'Health Care', 310, 0.6, 0.32, 10_000_000],
  ['LLY', 'Eli Lilly and Company', 'NYSE', 'Health Care', 780, 0.5, 0.33, 3_500_000],
  ['PFE', 'Pfizer Inc.', 'NYSE', 'Health Care', 25, 0.6, 0.24, 40_000_000],
  ['MRK', 'Merck & Co., Inc.', 'NYSE', 'Health Care', 85, 0.4, 0.22, 12_000_000],
  ['ABBV', 'AbbVie Inc.', 'NYSE', 'Health Care', 210, 0.6, 0.24, 6_000_000],
  ['XOM', 'Exxon Mobil Corporation', 'NYSE', 'Energy', 112, 0.9, 0.24, 15_000_000],
  ['CVX', 'Chevron Corporation', 'NYSE', 'Energy', 155, 1.0, 0.25, 8_000_000],
  ['COP', 'ConocoPhillips', 'NYSE', 'Energy', 95, 1.1, 0.3, 7_000_000],
  ['BA', 'The Boeing Company', 'NYSE', 'Industrials', 215, 1.4, 0.36, 8_000_000],
  ['CAT', 'Caterpillar Inc.', 'NYSE', 'Industrials', 420, 1.1, 0.28, 2_800_000],
  ['GE', 'GE Aerospace', 'NYSE', 'Industrials', 250, 1.2, 0.3, 6_000_000],
  ['UPS', 'United Parcel Service, Inc.', 'NYSE', 'Industrials', 98, 1.0, 0.27, 6_000_000],
  ['NEE', 'NextEra Energy, Inc.', 'NYSE', 'Utilities', 72, 0.6, 0.25, 10_000_000],
  ['LIN', 'Linde plc', 'NASDAQ', 'Materials', 460, 0.9, 0.18, 2_000_000],
  ['PLD', 'Prologis, Inc.', 'NYSE', 'Real Estate', 110, 1.1, 0.27, 4_000_000],
  ['SPY', 'SPDR S&P 500 ETF Trust', 'ARCA', 'ETF', 640, 1.0, 0.16, 65_000_000],
  ['QQQ', 'Invesco QQQ Trust', 'NASDAQ', 'ETF', 570, 1.15, 0.2, 45_000_000],
  ['IWM', 'iShares Russell 2000 ETF', 'ARCA', 'ETF', 230, 1.2, 0.22, 30_000_000],
  ['DIA', 'SPDR Dow Jones Industrial Average ETF Trust', 'ARCA', 'ETF', 450, 0.9, 0.15, 3_500_000],
  ['GLD', 'SPDR Gold Shares', 'ARCA', 'Commodities', 310, 0.1, 0.15, 9_000_000],
  ['TLT', 'iShares 20+ Year Treasury Bond ETF', 'NASDAQ', 'Fixed Income', 88, -0.2, 0.15, 35_000_000],
];

/** The simulated universe: real US-listed symbols with plausible 2025 parameters. */
export const SIM_INSTRUMENTS: readonly Instrument[] = ROWS.map(
  ([symbol, name, exchange, sector, basePrice, beta, volatility, avgDailyVolume]) => ({
    symbol,
    name,
    exchange,
    sector,
    basePrice,
    beta,
    volatility,
    avgDailyVolume,
    fractionable: true,
    simulated: true,
  }),
);

const bySymbol = new Map(SIM_INSTRUMENTS.map((i) => [i.symbol, i]));

/** The instrument with exactly this symbol (case-insensitive), or undefined. */
export function findInstrument(symbol: string): Instrument | undefined {
  return bySymbol.get(symbol.toUpperCase());
}

/** Instruments whose symbol starts with `query`, then those whose name contains it (case-insensitive), at most `limit`. */
export function searchInstruments(
  query: string,
  limit = 20,
  universe: readonly Instrument[] = SIM_INSTRUMENTS,
): Instrument[] {
  const q = query.trim().toLowerCase();
  if (q === '' || limit <= 0) return [];
  const bySymbolPrefix = universe
    .filter((i) => i.symbol.toLowerCase().startsWith(q))
    .sort((a, b) => a.symbol.length - b.symbol.length || a.symbol.localeCompare(b.symbol));
  const byName = universe.filter(
    (i) => !i.symbol.toLowerCase().startsWith(q) && i.name.toLowerCase().includes(q),
  );
  return [...bySymbolPrefix, ...byName].slice(0, limit);
}
