import { createIntl } from 'react-intl';
import en from '../i18n/en.json';
import es from '../i18n/es.json';
import type { Translate } from '../i18n/LocaleProvider';
import { explainTransition } from './explain';

const translator = (locale: string, messages: Record<string, string>): Translate => {
  const intl = createIntl({ locale, messages });
  return (id, values) => intl.formatMessage({ id }, values);
};
const plain = (text: string) => text.replace(/\s/g, ' ');

const breach = {
  accountId: 'a1',
  kind: 'BREACH',
  rule: 'DAILY_LOSS',
  at: '2025-03-03T03:04:00.000Z',
  floor: '95000.00',
  equity: '94707.93',
  seq: 237,
};

describe('explainTransition', () => {
  it('names the rule, the observed equity, the floor and the time with its zone', () => {
    const text = explainTransition(translator('en', en), breach, {
      locale: 'en',
      currency: 'USD',
      timeZone: 'Europe/Prague',
    });
    expect(text.title).toBe('Breached: Daily loss limit');
    expect(plain(text.body)).toBe(
      'On Mar 3, 2025, 4:04 AM GMT+1, equity fell to $94,707.93, through the floor of $95,000.00. The phase has ended.',
    );
    expect(text.color).toBe('red');
  });

  it('speaks the console language with money in the account currency', () => {
    const text = explainTransition(
      translator('es', es),
      { ...breach, rule: 'MAX_LOSS' },
      {
        locale: 'es',
        currency: 'AED',
        timeZone: 'Asia/Dubai',
      },
    );
    expect(plain(text.body)).toContain('94.707,93 AED');
    expect(plain(text.body)).toContain('95.000,00 AED');
    expect(plain(text.body)).toContain('3 mar 2025, 7:04 GMT+4');
  });

  it('explains a soft breach, a per-trade breach and the time limits', () => {
    const t = translator('en', en);
    const context = { locale: 'en', currency: 'USD', timeZone: 'UTC' };
    expect(explainTransition(t, { ...breach, kind: 'SOFT_BREACH' }, context).body).toContain(
      'trading is paused until the next day reset',
    );
    expect(
      explainTransition(t, { ...breach, rule: 'MAX_LOSS_PER_TRADE', floor: null, equity: null }, context).body,
    ).toContain('a closed trade lost more than');
    expect(explainTransition(t, { ...breach, rule: 'TIME_LIMIT', floor: null, equity: null }, context).body).toContain(
      'ran out',
    );
  });

  it('explains passes and near-breach warnings', () => {
    const t = translator('en', en);
    const context = { locale: 'en', currency: 'USD', timeZone: 'UTC' };
    const pass = explainTransition(t, { accountId: 'a1', kind: 'PASS', at: breach.at, seq: 3 }, context);
    expect(pass).toMatchObject({ title: 'Phase passed', color: 'green' });
    const warning = explainTransition(t, { ...breach, kind: 'WARNING', threshold: 80, seq: 0 }, context);
    expect(warning.title).toBe('Warning: Daily loss limit');
    expect(plain(warning.body)).toContain('80% of the limit is used');
    expect(warning.color).toBe('yellow');
  });
});
