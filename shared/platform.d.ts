// The few Web platform APIs that pure code may use, because both of its runtimes provide them: Node 20 and
// the browsers (terminal renderer, HQ console). Declared narrowly, for tsconfig.pure.json only, so that check
// still refuses DOM-only globals (window, document, localStorage) and Node-only ones (Buffer, process).
// Other programs get these from lib.dom / @types/node, hence this file is excluded everywhere else.
// Using one more member here is a decision: add it only if both runtimes have it.

declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}

declare class TextDecoder {
  decode(input?: Uint8Array): string;
}

declare function atob(data: string): string;
declare function btoa(data: string): string;

/** WebCrypto: PBKDF2 for PIN and password hashes (shared/auth/secrets.ts) and random bytes. */
interface CryptoKey {
  readonly type: string;
}

interface SubtleCrypto {
  importKey(format: 'raw', keyData: Uint8Array<ArrayBuffer>, algorithm: 'PBKDF2', extractable: boolean, keyUsages: Array<'deriveBits'>): Promise<CryptoKey>;
  deriveBits(algorithm: { name: 'PBKDF2'; hash: 'SHA-256'; salt: Uint8Array<ArrayBuffer>; iterations: number }, baseKey: CryptoKey, length: number): Promise<ArrayBuffer>;
}

interface Crypto {
  readonly subtle: SubtleCrypto;
  getRandomValues<T extends Uint8Array>(array: T): T;
}
