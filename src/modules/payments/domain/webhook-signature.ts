import { createHmac, timingSafeEqual } from 'node:crypto';

/** A parsed `Scaleshop-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]` header. */
export interface SignatureHeader {
  timestamp: number;
  /** HMAC-SHA256 candidates; several while the provider signs with more than one secret. */
  signatures: Buffer[];
}

export type SignatureVerdict = 'valid' | 'malformed' | 'mismatch' | 'stale';

// Bounds keep a hostile header from costing more than a few HMACs.
const MAX_HEADER_LENGTH = 2_048;
const MAX_SIGNATURES = 8;
const TIMESTAMP = /^\d{1,12}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** Reads the header; null when it is absent or not of the expected shape. */
export function parseSignatureHeader(header: string | undefined): SignatureHeader | null {
  if (!header || header.length > MAX_HEADER_LENGTH) return null;
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !TIMESTAMP.test(value)) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return null;
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (v0, future versions) are ignored, as providers document.
  }
  if (timestamp === undefined || signatures.length === 0 || signatures.length > MAX_SIGNATURES)
    return null;
  return { timestamp, signatures };
}

/** Hex HMAC-SHA256 of `"<t>.<raw body>"`. */
export function computeSignature(secret: string, timestamp: number, rawBody: Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The header a provider sends for `rawBody`, signed with one secret. */
export function signatureHeader(secret: string, timestamp: number, rawBody: Buffer): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, rawBody)}`;
}

/**
 * Checks a delivery against every configured secret (any may match while one is rotated), in
 * constant time per comparison. The signature is checked before the timestamp, so only an
 * authentic delivery learns that it came too late (or too early).
 */
export function verifySignature(input: {
  header: string | undefined;
  rawBody: Buffer;
  secrets: readonly string[];
  toleranceS: number;
  nowS: number;
}): SignatureVerdict {
  const parsed = parseSignatureHeader(input.header);
  if (!parsed) return 'malformed';
  let matched = false;
  for (const secret of input.secrets) {
    const expected = Buffer.from(computeSignature(secret, parsed.timestamp, input.rawBody), 'hex');
    for (const candidate of parsed.signatures) {
      // Evaluate every pair: no early exit that would time which secret matched.
      if (timingSafeEqual(expected, candidate)) matched = true;
    }
  }
  if (!matched) return 'mismatch';
  if (Math.abs(input.nowS - parsed.timestamp) > input.toleranceS) return 'stale';
  return 'valid';
}
