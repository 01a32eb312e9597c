import { emptyMt5Form, mt5Schema, toMt5Input } from './mt5-form';

const t = ((key: string) => key) as never;
const valid = {
  ...emptyMt5Form(),
  name: 'Atlas MT5',
  url: 'https://mt5.atlas.example:443',
  managerLogin: '1005',
  password: 'secret',
};

describe('the MT5 connection form', () => {
  it('accepts a complete form and leaves blanks to the API defaults', () => {
    expect(mt5Schema(t).safeParse(valid).success).toBe(true);
    expect(toMt5Input('b1', valid)).toMatchObject({ server: null, caCertificate: null, settings: null });
  });

  it('refuses plain http, a non-numeric login, a non-PEM certificate and settings that are not a JSON object', () => {
    const result = mt5Schema(t).safeParse({
      ...valid,
      url: 'http://mt5.atlas.example',
      managerLogin: 'manager',
      caCertificate: 'not a certificate',
      settings: '[1, 2]',
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path[0]).sort();
    expect(paths).toEqual(['caCertificate', 'managerLogin', 'settings', 'url']);
  });

  it('sends the settings overrides as an object', () => {
    expect(toMt5Input('b1', { ...valid, settings: '{"serverTimeOffsetSeconds": 7200}' }).settings).toEqual({
      serverTimeOffsetSeconds: 7200,
    });
  });
});
