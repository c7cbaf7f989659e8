import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkRuleText } from './rule-check.js';
import { FunctionHelp, RuleEditor } from './rule-editor.js';

function Harness({ initial }: { initial: string }) {
  const [value, setValue] = useState(initial);
  return <RuleEditor label="Rule" value={value} onChange={setValue} verdict={checkRuleText(value, '1Min')} />;
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('RuleEditor', () => {
  it('underlines and lists a problem as you type, announces it once typing pauses, and clears it when fixed', () => {
    vi.useFakeTimers();
    const { container } = render(<Harness initial="close > 1" />);
    const area = screen.getByLabelText('Rule');
    expect(area.getAttribute('aria-invalid')).toBeNull();

    fireEvent.change(area, { target: { value: 'close > smaa(close, 20)' } });
    expect(area.getAttribute('aria-invalid')).toBe('true');
    const problems = screen.getByTestId('rule-problems');
    expect(problems.textContent).toBe("Line 1, column 9: unknown function 'smaa' — did you mean 'sma'?");
    expect([...container.querySelectorAll('.tok-flagged')].map((e) => e.textContent)).toEqual(['smaa']);
    const live = screen.getByRole('status');
    expect(live.textContent).toBe('');
    act(() => vi.advanceTimersByTime(600));
    expect(live.textContent).toBe("Rule: Line 1, column 9: unknown function 'smaa' — did you mean 'sma'?");

    fireEvent.change(area, { target: { value: 'close > sma(close, 20)' } });
    expect(area.getAttribute('aria-invalid')).toBeNull();
    expect(screen.queryByTestId('rule-problems')).toBeNull();
    expect(container.querySelector('.rule-layer')?.textContent).toBe('close > sma(close, 20)');
    act(() => vi.advanceTimersByTime(600));
    expect(live.textContent).toBe('');
  });

  it('puts the caret on a problem when its position is pressed', () => {
    render(<Harness initial={'close > 1 and\nclose > sma(close 20)'} />);
    const area = screen.getByLabelText<HTMLTextAreaElement>('Rule');
    fireEvent.click(screen.getByRole('button', { name: 'Line 2, column 19' }));
    expect(document.activeElement).toBe(area);
    expect(area.value.slice(area.selectionStart, area.selectionEnd)).toBe('20');
  });
});

describe('FunctionHelp', () => {
  it('finds functions by name or summary and inserts the chosen one', () => {
    const inserted: string[] = [];
    render(<FunctionHelp onInsert={(text) => inserted.push(text)} />);
    fireEvent.change(screen.getByLabelText('Find a function'), { target: { value: 'crossover' } });
    const list = screen.getByRole('list', { name: 'Functions' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['crossover(a, b) a rose above b on this bar (a > b, before a <= b)']);
    fireEvent.click(within(list).getByRole('button', { name: 'Insert crossover' }));
    expect(inserted).toEqual(['crossover(']);
  });
});
