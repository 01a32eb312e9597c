import { applyQuotes, bookFromInstruments, spreadPoints } from './quotes';

const instruments = [
  { symbol: 'EURUSD', bid: '1.08260', ask: '1.08268', quotedAt: '2025-03-04T02:29:00.000Z' },
  { symbol: 'DE40', bid: null, ask: null, quotedAt: null },
];

describe('the quote book', () => {
  it('starts from the instruments that have a quote', () => {
    expect(bookFromInstruments(instruments)).toEqual({
      EURUSD: { bid: '1.08260', ask: '1.08268', at: '2025-03-04T02:29:00.000Z', tick: null, version: 0 },
    });
  });

  it('applies moved symbols with their direction', () => {
    const book = bookFromInstruments(instruments);
    const up = applyQuotes(book, [
      { symbol: 'EURUSD', bid: '1.08270', ask: '1.08278', at: '2025-03-04T02:30:00.000Z' },
    ]);
    expect(up.EURUSD).toMatchObject({ bid: '1.08270', tick: 'up', version: 1 });
    const down = applyQuotes(up, [
      { symbol: 'EURUSD', bid: '1.08200', ask: '1.08208', at: '2025-03-04T02:31:00.000Z' },
    ]);
    expect(down.EURUSD).toMatchObject({ bid: '1.08200', tick: 'down', version: 2 });
    const first = applyQuotes(down, [
      { symbol: 'DE40', bid: '17852.31', ask: '17853.81', at: '2025-03-04T08:00:00.000Z' },
    ]);
    expect(first.DE40).toMatchObject({ tick: null, version: 1 });
    expect(first.EURUSD).toBe(down.EURUSD);
  });

  it('ignores a late quote and returns the same book when nothing changed', () => {
    const book = bookFromInstruments(instruments);
    expect(applyQuotes(book, [{ symbol: 'EURUSD', bid: '1.07', ask: '1.08', at: '2025-03-04T02:00:00.000Z' }])).toBe(
      book,
    );
    expect(
      applyQuotes(book, [{ symbol: 'EURUSD', bid: '1.08260', ask: '1.08268', at: '2025-03-04T02:29:00.000Z' }]),
    ).toBe(book);
  });

  it('measures the spread in points', () => {
    expect(spreadPoints('1.08260', '1.08268', 5)).toBe(8);
    expect(spreadPoints('150.906', '150.916', 3)).toBe(10);
    expect(spreadPoints('39274', '39282', 0)).toBe(8);
    expect(spreadPoints('x', '1', 2)).toBeNull();
  });
});
