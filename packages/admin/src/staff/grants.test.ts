import { EVERY_BRAND, fromGrants, toGrantInputs } from './grants';

describe('the grants editor', () => {
  it('sends every-brand rows as null and drops duplicates', () => {
    expect(
      toGrantInputs([
        { brandId: EVERY_BRAND, role: 'OWNER' },
        { brandId: 'b1', role: 'RISK_MANAGER' },
        { brandId: 'b1', role: 'RISK_MANAGER' },
        { brandId: 'b2', role: 'READ_ONLY' },
      ]),
    ).toEqual([
      { brandId: null, role: 'OWNER' },
      { brandId: 'b1', role: 'RISK_MANAGER' },
      { brandId: 'b2', role: 'READ_ONLY' },
    ]);
  });

  it('reads the API grants back into rows', () => {
    expect(
      fromGrants([
        { brandId: null, role: 'OWNER' },
        { brandId: 'b1', role: 'ADMIN' },
      ]),
    ).toEqual([
      { brandId: EVERY_BRAND, role: 'OWNER' },
      { brandId: 'b1', role: 'ADMIN' },
    ]);
  });
});
