import { describe, expect, it } from 'vitest';
import { parseSignalsSearch, signalsHref } from './signals-url.js';

const id = '6b0c6a3e-6f7a-4a43-9d4e-0b8e3c7f0a11';

describe('signals URLs', () => {
  it('reads the tab and id, defaulting to the signal list and ignoring junk', () => {
    expect(parseSignalsSearch('')).toEqual({ tab: 'signals', id: null });
    expect(parseSignalsSearch(`?tab=backtests&id=${id}`)).toEqual({ tab: 'backtests', id });
    expect(parseSignalsSearch('?tab=nope&id=<script>')).toEqual({ tab: 'signals', id: null });
  });

  it('writes links that read back the same', () => {
    expect(signalsHref('signals')).toBe('/signals');
    expect(signalsHref('alerts', id)).toBe(`/signals?tab=alerts&id=${id}`);
    expect(parseSignalsSearch(signalsHref('channels').replace('/signals', ''))).toEqual({
      tab: 'channels',
      id: null,
    });
  });
});
