/** Unit tests of the risk module: groups and their validation, rates, and the book's edges. */
import { publicInstrument, SIM_INSTRUMENTS } from '../platform/instruments';
import type { Instrument } from '../platform/platform';
import { RiskConfigError, RiskError } from './errors';
import { ExposureBook } from './exposure';
import { MarginBook, type PositionState } from './margin-book';
import { previewMarginChange } from './margin-change';
import { formatScaled, mulMulDiv, RateTable } from './rates';
import {
  ESMA_RETAIL_LEVERAGE,
  effectiveLeverage,
  esmaRetailGroup,
  parseMarginChange,
  parseRiskGroup,
  type RiskGroup,
  withLeverageChange,
} from './risk-group';

const INSTRUMENTS = SIM_INSTRUMENTS.map(publicInstrument);
const instrument = (symbol: string) => INSTRUMENTS.find((i) => i.symbol === symbol) as Instrument;

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseRiskGroup(input);
  } catch (error) {
    if (error instanceof RiskConfigError)
      return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw error;
  }
  return [];
}

describe('risk groups', () => {
  const esma = esmaRetailGroup('retail', 'alpha');

  it('has the ESMA retail defaults, gold and major indices above their class by symbol', () => {
    expect(esma).toMatchObject({
      marginCallLevel: '100',
      stopOutLevel: '50',
      hedging: 'HEDGING',
      book: 'B',
      negativeBalanceProtection: true,
    });
    const table = Object.fromEntries(INSTRUMENTS.map((i) => [i.symbol, effectiveLeverage(esma, i)]));
    expect(table).toEqual({
      EURUSD: 30,
      GBPUSD: 30,
      USDJPY: 30,
      USDCHF: 30,
      AUDUSD: 30,
      USDCAD: 30,
      EURGBP: 20,
      EURJPY: 20,
      GBPJPY: 20,
      XAUUSD: 20,
      XAGUSD: 10,
      US500: 20,
      US100: 20,
      DE40: 20,
      JP225: 20,
      USOIL: 10,
      UKOIL: 10,
      AAPL: 5,
      TSLA: 5,
      NVDA: 5,
      BTCUSD: 2,
      ETHUSD: 2,
    });
    // an index ESMA does not call major, unknown to the override table: the class's 1:10
    expect(effectiveLeverage(esma, { symbol: 'ESP35', assetClass: 'INDEX' })).toBe(10);
  });

  it('caps the group leverage by the account leverage', () => {
    expect(effectiveLeverage(esma, instrument('EURUSD'), 100)).toBe(30);
    expect(effectiveLeverage(esma, instrument('EURUSD'), 10)).toBe(10);
    expect(effectiveLeverage(esma, instrument('BTCUSD'), 1)).toBe(1);
  });

  it('takes ESMA for missing fields, normalises levels, and an empty override table means none', () => {
    const g = parseRiskGroup({
      id: 'g',
      brand: 'b',
      name: 'G',
      leverage: { FX_MAJOR: 100 },
      symbolLeverage: {},
      marginCallLevel: 80,
      stopOutLevel: '+30.5',
    });
    expect(g.leverage).toEqual({ ...ESMA_RETAIL_LEVERAGE, FX_MAJOR: 100 });
    expect(g.symbolLeverage).toEqual({});
    expect(effectiveLeverage(g, instrument('XAUUSD'))).toBe(10);
    expect([g.marginCallLevel, g.stopOutLevel]).toEqual(['80', '30.5']);
  });

  it('rejects invalid groups with field paths', () => {
    const base = { id: 'g', brand: 'b', name: 'G' };
    expect(issuesOf({ ...base, stopOutLevel: '100' })).toEqual([
      { path: 'stopOutLevel', message: 'The stop-out level must be below the margin-call level (100 %)' },
    ]);
    expect(issuesOf({ ...base, marginCallLevel: '40', stopOutLevel: '50' }).map((i) => i.path)).toEqual([
      'stopOutLevel',
    ]);
    expect(issuesOf({ ...base, leverage: { FX_MAJOR: 0 } }).map((i) => i.path)).toEqual(['leverage.FX_MAJOR']);
    expect(issuesOf({ ...base, leverage: { CRYPTO: 2.5 } }).map((i) => i.path)).toEqual(['leverage.CRYPTO']);
    expect(issuesOf({ ...base, leverage: { FOREX: 30 } }).map((i) => i.path)).toEqual(['leverage']);
    expect(issuesOf({ ...base, symbolLeverage: { XAUUSD: 20_000 } }).map((i) => i.path)).toEqual([
      'symbolLeverage.XAUUSD',
    ]);
    expect(issuesOf({ ...base, marginCallLevel: 'lots' }).map((i) => i.path)).toEqual(['marginCallLevel']);
    expect(issuesOf({ ...base, marginCallLevel: '1500' }).map((i) => i.path)).toEqual(['marginCallLevel']);
    expect(issuesOf({ ...base, stopOutLevel: '-5' }).map((i) => i.path)).toEqual(['stopOutLevel']);
    expect(issuesOf({ ...base, marginCallLevel: '0', stopOutLevel: '0' }).map((i) => i.path)).toEqual([
      'marginCallLevel',
      'stopOutLevel',
    ]);
    expect(issuesOf({ ...base, hedging: 'BOTH', book: 'C' }).map((i) => i.path)).toEqual(['hedging', 'book']);
    expect(issuesOf({ brand: 'b', name: 'G' }).map((i) => i.path)).toEqual(['id']);
    expect(issuesOf({ ...base, colour: 'red' }).map((i) => i.path)).toEqual(['']);
    expect(() => parseRiskGroup({ ...base, colour: 'red' })).toThrow(RiskConfigError);
  });

  it('changes a class (dropping its overrides) or symbols', () => {
    const metals = withLeverageChange(esma, { assetClass: 'METAL' }, 5, INSTRUMENTS);
    expect(effectiveLeverage(metals, instrument('XAUUSD'))).toBe(5);
    expect(effectiveLeverage(metals, instrument('XAGUSD'))).toBe(5);
    expect(metals.symbolLeverage.US500).toBe(20);
    expect(metals.symbolLeverage.XAUEUR).toBe(20); // not a listed instrument: kept
    const gold = withLeverageChange(esma, { symbols: ['XAUUSD'] }, 50, INSTRUMENTS);
    expect([effectiveLeverage(gold, instrument('XAUUSD')), effectiveLeverage(gold, instrument('XAGUSD'))]).toEqual([
      50, 10,
    ]);
    expect(esma.symbolLeverage.XAUUSD).toBe(20); // pure
  });

  it('validates a margin change', () => {
    expect(parseMarginChange({ brand: 'b', target: { assetClass: 'CRYPTO' }, leverage: 1 })).toEqual({
      brand: 'b',
      target: { assetClass: 'CRYPTO' },
      leverage: 1,
    });
    expect(() => parseMarginChange({ brand: 'b', target: { symbols: [] }, leverage: 10 })).toThrow(RiskConfigError);
    expect(() => parseMarginChange({ brand: 'b', target: { assetClass: 'FX' }, leverage: 10 })).toThrow(
      RiskConfigError,
    );
    expect(() => parseMarginChange({ brand: 'b', target: { assetClass: 'METAL' }, leverage: 0 })).toThrow(
      /Leverage must be at least 1/,
    );
  });
});

describe('rates', () => {
  const rates = new RateTable(INSTRUMENTS);

  it('is unknown until the pairs quote, and null without a path', () => {
    expect(rates.rate('EUR', 'USD')).toBeNull();
    expect(rates.convert(100, 'EUR', 'USD')).toBeNull();
    expect(rates.rate('USD', 'USD')).toEqual({ num: 1, den: 1 });
    expect(rates.findConversion('USD', 'SEK')).toBeNull();
    expect(() => rates.conversion('USD', 'SEK')).toThrow(RiskError);
  });

  it('converts direct, inverse and through USD, exactly, rounding half-up once', () => {
    rates.setQuoteText('EURUSD', '1.08490', '1.08510');
    rates.setQuoteText('USDJPY', '150.200', '150.210');
    rates.setQuoteText('USDCHF', '0.88000', '0.88000');
    expect(rates.rate('EUR', 'USD')).toEqual({ num: 217, den: 200 }); // 1.085
    expect(rates.rate('JPY', 'USD')).toEqual({ num: 200, den: 30041 }); // 1 / 150.205
    // CHF → JPY has no pair (CHFJPY): CHF → USD → JPY = 150.205 / 0.88
    expect(rates.rate('CHF', 'JPY')).toEqual({ num: 2731, den: 16 }); // 170.6875
    expect(rates.convert(100_000, 'EUR', 'USD')).toBe(108_500); // 1,000.00 EUR = 1,085.00 USD
    expect(rates.convert(100_000, 'USD', 'EUR')).toBe(92_166); // 921.658… → 921.66
    expect(rates.convert(10_000, 'USD', 'JPY')).toBe(15_021); // 100 USD = 15,020.5 JPY → 15,021 (half-up)
    expect(rates.convert(-10_000, 'USD', 'JPY')).toBe(-15_020); // ties go toward +∞
    // EURJPY is a pair of its own, so EUR → JPY is direct, and unknown until EURJPY quotes
    expect(rates.rate('EUR', 'JPY')).toBeNull();
  });

  it('rejects bad quotes and instruments', () => {
    expect(() => rates.setQuote('EURUSD', 108_510, 108_490)).toThrow(RiskError);
    expect(() => rates.setQuote('EURUSD', 0, 1)).toThrow(RiskError);
    expect(() => rates.setQuote('NOPE', 1, 1)).toThrow(/unknown symbol/);
    expect(() => new RateTable([{ ...instrument('EURUSD'), contractSize: 0.5 }])).toThrow(/contract size/);
    expect(() => new RateTable([instrument('EURUSD'), instrument('EURUSD')])).toThrow(/twice/);
  });

  it('computes a·b·c/(d·e) exactly past 2^53', () => {
    expect(mulMulDiv(3, 5, 7, 2)).toBe(53); // 52.5 → 53
    expect(mulMulDiv(-3, 5, 7, 2)).toBe(-52); // -52.5 → -52
    expect(mulMulDiv(2 ** 40, 2 ** 20, 3, 2 ** 21, 3)).toBe(2 ** 39);
    expect(mulMulDiv(9_007_199_254_740_991, 10, 1, 10)).toBe(9_007_199_254_740_991);
    expect(formatScaled(-150_000_000n, 8, 2)).toBe('-1.50');
    expect(formatScaled(-1n, 8, 0)).toBe('-0.00000001');
    expect(formatScaled(0n, 2)).toBe('0.00');
  });
});

describe('margin book', () => {
  function book(group: Partial<RiskGroup> = {}) {
    const rates = new RateTable(INSTRUMENTS);
    const exposure = new ExposureBook<PositionState>(rates);
    const b = new MarginBook(rates, { exposure });
    b.setGroup({ ...esmaRetailGroup('retail', 'alpha'), ...group });
    b.setGroup(esmaRetailGroup('other', 'beta'));
    b.openAccount({ login: '1', riskGroup: 'retail', currency: 'USD', leverage: 100, balance: '10000.00' });
    return { rates, exposure, b };
  }

  it('margins an unquoted symbol at its open price, and counts zero until a conversion rate exists', () => {
    const { b } = book();
    b.openPosition('1', { id: 'a', symbol: 'EURUSD', side: 'buy', volume: '1.00', openPrice: '1.08500' });
    expect(b.account('1').positions[0]).toMatchObject({ margin: '3616.67', profit: '0.00' });
    b.openPosition('1', { id: 'd', symbol: 'DE40', side: 'buy', volume: '1.00', openPrice: '18000.00' });
    expect(b.account('1').positions[1]).toMatchObject({ margin: '0.00' }); // EUR → USD unknown yet
    b.applyQuote('EURUSD', '1.08500', '1.08500');
    expect(b.account('1').positions[1]).toMatchObject({ margin: '976.50' });
  });

  it('includes swap in equity and reprices on volume changes, in the exposure too', () => {
    const { b, exposure } = book();
    b.applyQuote('EURUSD', '1.08500', '1.08500');
    b.openPosition('1', {
      id: 'a',
      symbol: 'EURUSD',
      side: 'buy',
      volume: '1.00',
      openPrice: '1.08500',
      swap: '-2.50',
    });
    expect(b.account('1')).toMatchObject({ equity: '9997.50', margin: '3616.67' });
    b.updatePosition('1', 'a', { volume: '0.40', swap: '-3.00' });
    b.applyBalance('1', '12.00'); // the partial close's deal
    expect(b.account('1')).toMatchObject({ balance: '10012.00', equity: '10009.00', margin: '1446.67' });
    expect(exposure.snapshot({ reportingCurrency: 'USD' }).rows[0]).toMatchObject({
      netLots: '0.40',
      value: '43400.00',
    });
    b.closePosition('1', 'a', '-3.00');
    expect(b.account('1')).toMatchObject({
      balance: '10009.00',
      equity: '10009.00',
      margin: '0.00',
      marginLevel: null,
    });
    expect(exposure.snapshot({ reportingCurrency: 'USD' }).rows).toEqual([]);
  });

  it('closes the older of two equal losses first', () => {
    const { b } = book();
    b.applyQuote('EURUSD', '1.08500', '1.08500');
    b.applyBalance('1', '10000.00');
    b.openPosition('1', { id: 'young', symbol: 'EURUSD', side: 'buy', volume: '1.00', openPrice: '1.08500' });
    b.openPosition('1', { id: 'old', symbol: 'EURUSD', side: 'sell', volume: '1.00', openPrice: '1.08500' });
    b.closePosition('1', 'young', '0.00');
    b.openPosition('1', { id: 'young', symbol: 'EURUSD', side: 'buy', volume: '1.00', openPrice: '1.08500' });
    b.openPosition('1', { id: 'big', symbol: 'EURUSD', side: 'buy', volume: '1.00', openPrice: '1.08500' });
    // A fall of 0.043 loses 4,300 on each buy and the sell gains 4,300: equity 15,700, margin 3 x 3,473.33 = 10,419.99.
    expect(b.applyQuote('EURUSD', '1.04200', '1.04200')).toEqual([]);
    // Equity 2,700: 25.91 %. The two buys lose the same; the re-opened "young" is older than "big".
    // Closing it leaves 6,946.66 (38.87 %), closing "big" too 3,473.33 (77.74 %).
    expect(b.applyBalance('1', '-13000.00')).toMatchObject([
      { type: 'MARGIN_CALL', marginLevel: '25.91' },
      { type: 'STOP_OUT', close: [{ position: 'young' }, { position: 'big' }], marginLevelAfter: '77.74' },
    ]);
    b.cancelStopOut('1');
    expect(b.account('1').stopOutPending).toBeNull();
    // the next check decides again
    expect(b.applyBalance('1', '0.00').map((e) => e.type)).toEqual(['STOP_OUT']);
  });

  it('re-margins a replaced group and moves accounts between groups of a brand only', () => {
    const { b } = book();
    b.applyQuote('EURUSD', '1.08500', '1.08500');
    b.openPosition('1', { id: 'a', symbol: 'EURUSD', side: 'buy', volume: '1.00', openPrice: '1.08500' });
    b.setGroup({ ...esmaRetailGroup('retail', 'alpha'), leverage: { ...ESMA_RETAIL_LEVERAGE, FX_MAJOR: 50 } });
    expect(b.account('1').margin).toBe('2170.00');
    expect(() => b.changeAccountGroup('1', 'other')).toThrow(/not of brand alpha/);
    expect(() => b.setGroup(esmaRetailGroup('retail', 'beta'))).toThrow(/belongs to brand alpha/);
  });

  it('refuses what a caller gets wrong', () => {
    const { b } = book();
    expect(() =>
      b.openAccount({ login: '1', riskGroup: 'retail', currency: 'USD', leverage: 100, balance: '1' }),
    ).toThrow(RiskError);
    expect(() =>
      b.openAccount({ login: '2', riskGroup: 'nope', currency: 'USD', leverage: 100, balance: '1' }),
    ).toThrow(/unknown risk group/);
    expect(() =>
      b.openAccount({ login: '2', riskGroup: 'retail', currency: 'USD', leverage: 0, balance: '1' }),
    ).toThrow(/leverage/);
    const spec = { id: 'a', symbol: 'EURUSD', side: 'buy' as const, volume: '1.00', openPrice: '1.08500' };
    b.openPosition('1', spec);
    expect(() => b.openPosition('1', spec)).toThrow(/exists/);
    expect(() => b.openPosition('1', { ...spec, id: 'b', volume: '0' })).toThrow(/positive/);
    expect(() => b.openPosition('1', { ...spec, id: 'b', symbol: 'XXX' })).toThrow(/unknown symbol/);
    expect(() => b.closePosition('1', 'zz')).toThrow(/unknown position/);
    expect(() => b.account('9')).toThrow(/unknown account/);
    expect(() =>
      previewMarginChange(b, { brand: 'alpha', riskGroups: ['other'], target: { assetClass: 'METAL' }, leverage: 5 }),
    ).toThrow(/not a risk group of brand alpha/);
    b.removeAccount('1');
    expect(b.size).toEqual({ accounts: 0, positions: 0 });
  });

  it('keeps JPY accounts in whole yen', () => {
    const { b } = book();
    b.applyQuote('USDJPY', '150.000', '150.000');
    b.openAccount({ login: 'y', riskGroup: 'retail', currency: 'JPY', leverage: 100, balance: '1000000' });
    b.openPosition('y', { id: 'a', symbol: 'USDJPY', side: 'sell', volume: '0.10', openPrice: '150.000' });
    // 10,000 x 150 / 30 = 50,000 JPY; 100 yen a point… a move of 0.333 loses 3,330 yen
    b.applyQuote('USDJPY', '150.333', '150.333');
    expect(b.account('y')).toMatchObject({ margin: '50111', equity: '996670', positions: [{ profit: '-3330' }] });
  });
});
