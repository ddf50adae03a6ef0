// The little DER needed to read EC private keys and wrap a SEC1 key into PKCS#8.
// Readers return `undefined` on anything malformed; the caller turns that into an `invalid-key` error
// (never echoing the key).

/** One DER element: its tag and where its contents sit in the buffer. */
export interface Tlv {
  tag: number;
  /** Offset of the first content byte. */
  start: number;
  /** Offset just past the last content byte. */
  end: number;
}

/** DER tag: INTEGER. */
export const TAG_INTEGER = 0x02;
/** DER tag: OCTET STRING. */
export const TAG_OCTET_STRING = 0x04;
/** DER tag: OBJECT IDENTIFIER. */
export const TAG_OID = 0x06;
/** DER tag: SEQUENCE (constructed). */
export const TAG_SEQUENCE = 0x30;
/** DER tag: `[0] EXPLICIT`, constructed, context-specific. */
export const TAG_CONTEXT_0 = 0xa0;

/** Reads the element starting at `offset`, or `undefined` when it is truncated or malformed. */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) return undefined; // multi-byte tags never occur in keys
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 3 || start + count > limit) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i]!;
    start += count;
  }
  const end = start + length;
  return end > limit ? undefined : { tag, start, end };
}

/** The child elements of a constructed element, or `undefined` when they do not tile it exactly. */
export function readChildren(bytes: Uint8Array, parent: Tlv): Tlv[] | undefined {
  const children: Tlv[] = [];
  let offset = parent.start;
  while (offset < parent.end) {
    const child = readTlv(bytes, offset, parent.end);
    if (!child) return undefined;
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** Reads a whole buffer as one element (no trailing bytes allowed). */
export function readRoot(bytes: Uint8Array): Tlv | undefined {
  const root = readTlv(bytes, 0);
  return root && root.end === bytes.length ? root : undefined;
}

/** The contents of an element. */
export function contents(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.start, tlv.end);
}

/** Decodes an OBJECT IDENTIFIER's contents to dotted form, e.g. `1.2.840.10045.3.1.7`. */
export function decodeOid(body: Uint8Array): string {
  const parts: number[] = [];
  let value = 0;
  for (const byte of body) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        parts.push(first, value - first * 40);
      } else {
        parts.push(value);
      }
      value = 0;
    }
  }
  return parts.join('.');
}

/** Encodes a dotted OID as a complete DER element. */
export function encodeOid(dotted: string): Uint8Array {
  const numbers = dotted.split('.').map(Number);
  const arcs = [numbers[0]! * 40 + numbers[1]!, ...numbers.slice(2)];
  const body: number[] = [];
  for (const arc of arcs) {
    const chunk: number[] = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) chunk.unshift((rest & 0x7f) | 0x80);
    body.push(...chunk);
  }
  return encodeTlv(TAG_OID, Uint8Array.from(body));
}

/** Encodes one DER element from a tag and its contents. */
export function encodeTlv(tag: number, body: Uint8Array): Uint8Array {
  const length = body.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else if (length < 0x100) header = [tag, 0x81, length];
  else if (length < 0x10000) header = [tag, 0x82, length >> 8, length & 0xff];
  else header = [tag, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
