import {
  computeSignature,
  parseSignatureHeader,
  signatureHeader,
  verifySignature,
} from './webhook-signature.js';

const OLD = 'whsec-old-0123456789abcdefghijklmnop';
const NEW = 'whsec-new-0123456789abcdefghijklmnop';
const NOW = 1_764_374_400;
const body = Buffer.from('{"id":"evt_1","type":"payment_intent.succeeded"}');

function verify(header: string | undefined, raw = body, secrets = [OLD], nowS = NOW) {
  return verifySignature({ header, rawBody: raw, secrets, toleranceS: 300, nowS });
}

describe('webhook signature', () => {
  it('accepts a delivery signed with the secret over the exact bytes', () => {
    expect(verify(signatureHeader(OLD, NOW, body))).toBe('valid');
  });

  it('matches the documented scheme: hex HMAC-SHA256 of "<t>.<raw body>"', () => {
    // Reference value computed independently: echo -n '1.{}' | openssl dgst -sha256 -hmac secret
    expect(computeSignature('secret', 1, Buffer.from('{}'))).toBe(
      '1122767b193110cfec322b6f199b599edbf608ed087f2d27afb0b97d99523908',
    );
    const header = signatureHeader('secret', 1, Buffer.from('{}'));
    expect(header).toMatch(/^t=1,v1=[0-9a-f]{64}$/);
  });

  it('rejects a signature made with another secret', () => {
    expect(verify(signatureHeader('someone-else-secret-0123456789', NOW, body))).toBe('mismatch');
  });

  it('rejects a tampered body, even by one byte', () => {
    const header = signatureHeader(OLD, NOW, body);
    const tampered = Buffer.from(body.toString().replace('succeeded', 'succeedeD'));
    expect(verify(header, tampered)).toBe('mismatch');
    // Re-serialised JSON (spaces) is different bytes: verification must use the raw body.
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(verify(header, reformatted)).toBe('mismatch');
  });

  it('rejects a tampered timestamp (it is part of the signed text)', () => {
    const v1 = computeSignature(OLD, NOW, body);
    expect(verify(`t=${NOW + 1},v1=${v1}`)).toBe('mismatch');
  });

  it('rejects an authentic delivery older than the tolerance, and one too far ahead', () => {
    expect(verify(signatureHeader(OLD, NOW - 301, body))).toBe('stale');
    expect(verify(signatureHeader(OLD, NOW + 301, body))).toBe('stale');
    expect(verify(signatureHeader(OLD, NOW - 300, body))).toBe('valid');
    expect(verify(signatureHeader(OLD, NOW + 300, body))).toBe('valid');
  });

  it('accepts either secret while one is rotated', () => {
    expect(verify(signatureHeader(OLD, NOW, body), body, [NEW, OLD])).toBe('valid');
    expect(verify(signatureHeader(NEW, NOW, body), body, [NEW, OLD])).toBe('valid');
    expect(verify(signatureHeader(OLD, NOW, body), body, [NEW])).toBe('mismatch');
  });

  it('accepts a header carrying several v1 values when any one matches', () => {
    const good = computeSignature(NEW, NOW, body);
    const other = computeSignature('unknown-secret-0123456789abcdef', NOW, body);
    expect(verify(`t=${NOW},v1=${other},v1=${good}`, body, [NEW])).toBe('valid');
    expect(verify(`t=${NOW},v0=abc,v1=${good}`, body, [NEW])).toBe('valid');
    expect(verify(`t=${NOW},v1=${other},v1=${other}`, body, [NEW])).toBe('mismatch');
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['no timestamp', `v1=${'a'.repeat(64)}`],
    ['no signature', `t=${NOW}`],
    ['two timestamps', `t=${NOW},t=${NOW},v1=${'a'.repeat(64)}`],
    ['timestamp not a number', `t=now,v1=${'a'.repeat(64)}`],
    ['signature not hex', `t=${NOW},v1=${'z'.repeat(64)}`],
    ['signature too short', `t=${NOW},v1=abcd`],
    ['no key', `=${NOW}`],
    ['garbage', 'hello world'],
    ['too long', `t=${NOW},${'v0=x,'.repeat(1000)}v1=${'a'.repeat(64)}`],
    ['too many signatures', `t=${NOW},${`v1=${'a'.repeat(64)},`.repeat(9)}`.slice(0, -1)],
  ])('treats a malformed header as malformed (%s)', (_name, header) => {
    expect(parseSignatureHeader(header)).toBeNull();
    expect(verify(header)).toBe('malformed');
  });

  it('parses spaces around parts and keeps every v1 value', () => {
    const parsed = parseSignatureHeader(`t=${NOW}, v1=${'a'.repeat(64)} ,v1=${'B'.repeat(64)}`);
    expect(parsed?.timestamp).toBe(NOW);
    expect(parsed?.signatures.map((s) => s.toString('hex'))).toEqual([
      'a'.repeat(64),
      'b'.repeat(64),
    ]);
  });
});
