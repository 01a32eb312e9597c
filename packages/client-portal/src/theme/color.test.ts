import {
  BASE_SHADE,
  colorTuple,
  contrastRatio,
  contrastText,
  initials,
  parseHex,
  relativeLuminance,
  safeHex,
  toHex,
} from './color';

describe('hex parsing', () => {
  it('reads long and short hex, with or without #', () => {
    expect(parseHex('#1c5bd6')).toEqual({ r: 0x1c, g: 0x5b, b: 0xd6 });
    expect(parseHex('1C5BD6')).toEqual({ r: 0x1c, g: 0x5b, b: 0xd6 });
    expect(parseHex('#fff')).toEqual({ r: 255, g: 255, b: 255 });
  });

  it('rejects what is not a colour', () => {
    expect(parseHex('#12345')).toBeNull();
    expect(parseHex('blue')).toBeNull();
    expect(parseHex('')).toBeNull();
  });

  it('falls back while the value is incomplete', () => {
    expect(safeHex('#1C5BD6', '#000000')).toBe('#1c5bd6');
    expect(safeHex('#1c5', '#000000')).toBe('#11cc55');
    expect(safeHex('#1c5b', '#000000')).toBe('#000000');
    expect(safeHex(undefined, '#abcdef')).toBe('#abcdef');
  });
});

describe('contrast', () => {
  it('matches the WCAG reference values', () => {
    expect(contrastRatio(parseHex('#000')!, parseHex('#fff')!)).toBeCloseTo(21, 5);
    expect(contrastRatio(parseHex('#fff')!, parseHex('#fff')!)).toBeCloseTo(1, 5);
    expect(relativeLuminance(parseHex('#808080')!)).toBeCloseTo(0.2159, 3);
  });

  it('puts white text on dark brand colours and black on light ones', () => {
    expect(contrastText('#1c5bd6')).toBe('#ffffff');
    expect(contrastText('#0b7a53')).toBe('#ffffff');
    expect(contrastText('#000000')).toBe('#ffffff');
    expect(contrastText('#f59f00')).toBe('#000000');
    expect(contrastText('#ffffff')).toBe('#000000');
    expect(contrastText('#fcc419')).toBe('#000000');
  });

  it('always picks the text colour with the higher ratio', () => {
    for (const bg of ['#c2255c', '#777777', '#00ff00', '#3b5bdb', '#e8590c']) {
      const picked = contrastText(bg);
      const other = picked === '#ffffff' ? '#000000' : '#ffffff';
      expect(contrastRatio(parseHex(bg)!, parseHex(picked)!)).toBeGreaterThanOrEqual(
        contrastRatio(parseHex(bg)!, parseHex(other)!),
      );
    }
  });
});

describe('Mantine colour tuple from a hex', () => {
  const brands = ['#1c5bd6', '#0b7a53', '#c2255c', '#f59f00', '#000000', '#ffffff', '#808080', '#FCC419'];

  it.each(brands)('%s gives ten valid shades with the brand colour itself at the base shade', (hex) => {
    const tuple = colorTuple(hex);
    expect(tuple).toHaveLength(10);
    for (const shade of tuple) expect(shade).toMatch(/^#[0-9a-f]{6}$/);
    expect(tuple[BASE_SHADE]).toBe(toHex(parseHex(hex)!));
  });

  it.each(brands)('%s shades go from light to dark', (hex) => {
    const luminances = colorTuple(hex).map((shade) => relativeLuminance(parseHex(shade)!));
    for (let i = 1; i < luminances.length; i++) {
      expect(luminances[i]!).toBeLessThanOrEqual(luminances[i - 1]! + 1e-3);
    }
  });

  it('makes the lightest shade a pale tint and the darkest a deep shade', () => {
    const tuple = colorTuple('#1c5bd6');
    expect(relativeLuminance(parseHex(tuple[0])!)).toBeGreaterThan(0.8);
    expect(relativeLuminance(parseHex(tuple[9])!)).toBeLessThan(0.03);
  });

  it('refuses a value that is not a colour', () => {
    expect(() => colorTuple('nope')).toThrow('not a hex colour');
  });
});

describe('initials', () => {
  it('takes the first letters of the first two words, or two letters of one word', () => {
    expect(initials('Atlas Funded')).toBe('AF');
    expect(initials('sahara markets ltd')).toBe('SM');
    expect(initials('Zenith')).toBe('ZE');
    expect(initials('  ')).toBe('');
    expect(initials('صحارى ماركتس')).toBe('صم');
  });
});
