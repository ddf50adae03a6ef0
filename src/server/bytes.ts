/** Byte conversions shared by the encoders (runtime-agnostic: no Buffer). */

/** Bytes of a "binary string" (one character per byte, as `atob` returns). */
export function binaryToBytes(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A "binary string" of bytes (one character per byte, as `btoa` takes). */
export function bytesToBinary(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return binary;
}

/** Lower-case hex of bytes, two digits a byte. */
export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
