// Last line of defence for the log: every secret the extension has seen is registered
// here and replaced before a line is written, in whatever form it appears (redactForms.ts),
// and anything under a secret-naming key is masked even if it was never registered.
import { findVariants, getDecodedView, getSecretVariants } from './redactForms';

const mask = '‹redacted›';

// Keys that name a secret: …token in any case and spelling (Token, SessionToken, refresh_token,
// X-Amz-Security-Token, AWS_CONTAINER_AUTHORIZATION_TOKEN), secret access keys, Authorization.
// After the key: a closing quote (JSON-escaped or not), ":" or "=", an opening quote and an
// auth scheme (Bearer, Basic, …) are kept; the value after them is masked.
const secretField = new RegExp(
  String.raw`((?<![\w-])(?:[\w-]*token|[\w-]*secret_?access_?key|authorization)(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?` +
    String.raw`(?:(?:bearer|basic|digest|token|aws4-hmac-sha256)\s+)?)[^\s"'\\,;&}]+`,
  'gi',
);

const secretShapes: RegExp[] = [
  secretField,
  // SigV4 signatures in Authorization headers or presigned URLs.
  /(Signature=)[0-9a-f]{64}/g,
];

export class Redactor {
  private readonly secrets = new Map<string, string[]>();
  private variants: string[] = [];

  add(secret: string | undefined): void {
    if (!secret || secret.length < 8 || this.secrets.has(secret)) return;
    this.secrets.set(secret, getSecretVariants(secret));
    this.variants = [...this.secrets.values()].flat();
  }

  remove(secret: string | undefined): void {
    if (secret && this.secrets.delete(secret)) this.variants = [...this.secrets.values()].flat();
  }

  redact(text: string): string {
    let out = this.secrets.size > 0 ? this.maskRegistered(text) : text;
    for (const shape of secretShapes) out = out.replace(shape, `$1${mask}`);
    return out;
  }

  private maskRegistered(text: string): string {
    const { variants } = this;
    // Most lines need no decoding; when they do, hits in the decoded view map back to the line.
    const ranges = findVariants(text, variants);
    if (/[\\%\r\n]/.test(text)) {
      const view = getDecodedView(text);
      for (const [start, end] of findVariants(view.text, variants))
        ranges.push([view.starts[start]!, view.ends[end - 1]!]);
    }
    if (ranges.length === 0) return text;
    ranges.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const [start, end] of ranges) {
      const last = merged.at(-1);
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    let out = '';
    let at = 0;
    for (const [start, end] of merged) {
      out += `${text.slice(at, start)}${mask}`;
      at = end;
    }
    return out + text.slice(at);
  }
}
