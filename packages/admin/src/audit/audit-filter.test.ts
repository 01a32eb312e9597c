import { csvBlob, csvFileName, displayValue, filterFromParams, toAuditFilter, withSeen } from './audit-filter';

describe('the audit filter', () => {
  it('leaves out empty fields', () => {
    const values = filterFromParams(new URLSearchParams(''));
    expect(toAuditFilter('b1', values, 'UTC')).toEqual({ brandId: 'b1', limit: 500 });
  });

  it('turns calendar days into instants in the brand zone, the last day included', () => {
    const values = filterFromParams(
      new URLSearchParams(
        'actor=%20owner@brokerdeck.test%20&operation=updateBrand&targetType=Brand&from=2025-03-03&to=2025-03-04',
      ),
    );
    expect(toAuditFilter('b1', values, 'Europe/Prague', 100)).toEqual({
      brandId: 'b1',
      limit: 100,
      actor: 'owner@brokerdeck.test',
      operation: 'updateBrand',
      targetType: 'Brand',
      from: '2025-03-02T23:00:00.000Z',
      to: '2025-03-04T23:00:00.000Z',
    });
    expect(toAuditFilter('b1', { ...values, to: '' }, 'Asia/Dubai').from).toBe('2025-03-02T20:00:00.000Z');
  });
});

describe('CSV export', () => {
  it('names the file after the brand and the time in its zone', () => {
    const at = new Date('2025-03-03T23:05:00.000Z');
    expect(csvFileName('atlas', at, 'Europe/Prague')).toBe('audit-atlas-20250304-0005.csv');
    expect(csvFileName('sahara', at, 'UTC')).toBe('audit-sahara-20250303-2305.csv');
    expect(csvFileName('../x y', at, 'UTC')).toBe('audit-xy-20250303-2305.csv');
  });

  it('makes a UTF-8 CSV blob with a byte-order mark', async () => {
    const blob = csvBlob('"at","actor"\r\n');
    expect(blob.type).toBe('text/csv;charset=utf-8');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(await blob.text()).toContain('"at","actor"');
  });
});

describe('displayValue', () => {
  it('shows text without quotes, numbers and booleans as they are, and objects indented', () => {
    expect(displayValue('"Atlas Funded"')).toBe('Atlas Funded');
    expect(displayValue('3')).toBe('3');
    expect(displayValue('true')).toBe('true');
    expect(displayValue('{"primary":"#123456"}')).toBe('{\n  "primary": "#123456"\n}');
    expect(displayValue('["en","es"]')).toBe('[\n  "en",\n  "es"\n]');
  });

  it('shows nothing for null and the raw text when it is not JSON', () => {
    expect(displayValue(null)).toBeNull();
    expect(displayValue('null')).toBeNull();
    expect(displayValue('not json')).toBe('not json');
  });
});

describe('withSeen', () => {
  it('adds values seen in the entries and the selected one, sorted', () => {
    expect(withSeen(['b', 'a'], ['c', 'a'], 'z')).toEqual(['a', 'b', 'c', 'z']);
  });
});
