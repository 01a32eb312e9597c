import { publicInstrument, SIM_INSTRUMENTS } from '../platform/instruments';
import { accountViews, exposureView } from './exposure-view';
import { RateTable } from './rates';
import { parseRiskGroup } from './risk-group';
import { PlatformBook } from './risk-live';

/** A book of `n` accounts with varied positions, some deep in loss (margin call). */
function book(n: number, seed = 7): PlatformBook {
  let s = seed;
  const rnd = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const b = new PlatformBook('p1', 'brand', new RateTable(SIM_INSTRUMENTS.map(publicInstrument)));
  b.margin.setGroup(parseRiskGroup({ id: 'g', brand: 'brand', name: 'Retail' }));
  for (const i of SIM_INSTRUMENTS) {
    const spread = 2 * 10 ** -i.digits;
    b.margin.applyQuote(i.symbol, (i.startPrice - spread).toFixed(i.digits), (i.startPrice + spread).toFixed(i.digits));
  }
  for (let a = 0; a < n; a++) {
    const login = String(1000 + a);
    const currency = a % 5 === 0 ? 'EUR' : 'USD';
    b.margin.openAccount({
      login,
      riskGroup: 'g',
      currency,
      leverage: 500,
      balance: String(200 + Math.floor(rnd() * 5000)),
    });
    b.byLogin.set(login, { id: `id-${login}`, login, brandId: 'brand', platformId: 'p1', currency, appliedSeq: 0 });
    const positions = Math.floor(rnd() * 4);
    for (let k = 0; k < positions; k++) {
      const i = SIM_INSTRUMENTS[Math.floor(rnd() * 6)]!;
      const move = (rnd() - 0.5) * 0.02 * i.startPrice;
      b.margin.openPosition(login, {
        id: `${login}-${k}`,
        symbol: i.symbol,
        side: rnd() < 0.5 ? 'buy' : 'sell',
        volume: (0.01 + Math.floor(rnd() * 50) / 100).toFixed(2),
        openPrice: (i.startPrice + move).toFixed(i.digits),
      });
    }
  }
  return b;
}

const num = (v: string | null) => Number(v);

describe('exposure view: account lists without sorting every account', () => {
  const b = book(400);
  const all = accountViews([b], 'USD', {}, (id) => id);
  const view = exposureView([b], { reportingCurrency: 'USD', top: 7, groupName: (id) => id });

  it('lists the same top accounts by exposure and by |floating P&L| as a full sort', () => {
    const byExposure = all
      .filter((a) => a.positions > 0)
      .sort((x, y) => num(y.exposure) - num(x.exposure))
      .slice(0, 7);
    expect(view.topByExposure.map((a) => a.exposure)).toEqual(byExposure.map((a) => a.exposure));
    expect(view.topByExposure[0]).toEqual(byExposure[0]);
    const byPnl = all
      .filter((a) => a.positions > 0)
      .sort((x, y) => Math.abs(num(y.floatingPnlReporting)) - Math.abs(num(x.floatingPnlReporting)))
      .slice(0, 7);
    expect(view.topByPnl.map((a) => a.floatingPnlReporting)).toEqual(byPnl.map((a) => a.floatingPnlReporting));
  });

  it('lists every account in margin call or stop-out, lowest margin level first', () => {
    const calls = all.filter((a) => a.status === 'MARGIN_CALL' || a.status === 'STOP_OUT');
    expect(calls.length).toBeGreaterThan(0);
    expect(view.marginCalls.map((a) => a.login).sort()).toEqual(calls.map((a) => a.login).sort());
    const levels = view.marginCalls.map((a) => num(a.marginLevel));
    expect(levels).toEqual([...levels].sort((x, y) => x - y));
    expect(view.accounts).toBe(400);
  });

  it('moves an account into the top list when its exposure grows', () => {
    const login = '1003';
    b.margin.openPosition(login, { id: 'big', symbol: 'EURUSD', side: 'buy', volume: '40.00', openPrice: '1.08000' });
    const after = exposureView([b], { reportingCurrency: 'USD', top: 7, groupName: (id) => id });
    expect(after.topByExposure[0]?.login).toBe(login);
  });
});
