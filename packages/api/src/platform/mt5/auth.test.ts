import { createHash } from 'node:crypto';
import { isRandHex, newRand, passwordHash, passwordMd5, randAnswer, sameAnswer } from './auth';

/** The test vectors of mt5-webapi.md §1.4–1.5 (MetaQuotes' worked example, re-checked there). */
describe('MT5 Web API handshake', () => {
  const hash = passwordHash('Password1');

  it('step 1: MD5 over the UTF-16LE bytes of the password', () => {
    expect([...passwordMd5('Password1')]).toEqual([
      236, 46, 146, 255, 112, 191, 70, 145, 174, 12, 104, 224, 47, 220, 108, 34,
    ]);
  });

  it('steps 2–3: MD5 over those raw 16 bytes followed by the ASCII bytes of "WebAPI"', () => {
    expect(hash.toString('hex')).toBe('904ba8ecb16273d2f0ae9c3b8a023752');
  });

  it('steps 4–5: srv_rand_answer over the hash and the raw bytes of srv_rand', () => {
    expect(randAnswer(hash, '73007dc7184747ce0f7c98516ef1c851')).toBe('77fe51827f7fa69dd80fbec9aa33f1bb');
  });

  it("the server's proof: cli_rand_answer over the hash and the raw bytes of cli_rand", () => {
    expect(randAnswer(hash, '4db98fec17aab4dc5a240bdc659e8395')).toBe('1732021b1b332f51660b2b315eed3a35');
    expect(sameAnswer('1732021b1b332f51660b2b315eed3a35', '1732021B1B332F51660B2B315EED3A35')).toBe(true);
    expect(sameAnswer('1732021b1b332f51660b2b315eed3a35', '1732021b1b332f51660b2b315eed3a36')).toBe(false);
    expect(sameAnswer('1732021b1b332f51660b2b315eed3a35', undefined)).toBe(false);
  });

  it('joins raw bytes, never hex text (hashing the hex gives another answer, which servers refuse)', () => {
    const md5 = (data: Buffer | string) => createHash('md5').update(data).digest();
    const hexWay = md5(`${md5(Buffer.from('Password1', 'utf16le')).toString('hex')}WebAPI`);
    expect(hexWay.toString('hex')).not.toBe('904ba8ecb16273d2f0ae9c3b8a023752');
    expect(randAnswer(hash, '73007DC7184747CE0F7C98516EF1C851')).toBe('77fe51827f7fa69dd80fbec9aa33f1bb');
  });

  it('makes 16-byte randoms and refuses malformed ones', () => {
    const rand = newRand();
    expect(isRandHex(rand)).toBe(true);
    expect(rand).toBe(rand.toLowerCase());
    expect(newRand()).not.toBe(rand);
    expect(() => randAnswer(hash, 'xyz')).toThrow();
  });
});
