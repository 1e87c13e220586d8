// Last line of defence for the log: every secret the extension has seen is registered
// here and replaced before a line is written, and anything shaped like an AWS secret
// key or session token is masked even if it was never registered.

const secretShapes: RegExp[] = [
  // aws_secret_access_key = ... / "SecretAccessKey": "..." / SessionToken ...
  /((?:secret_?access_?key|session_?token|SecretAccessKey|SessionToken|x-amz-security-token|Authorization)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
  // SigV4 signatures in Authorization headers or presigned URLs.
  /(Signature=)[0-9a-f]{64}/g,
];

export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    if (secret && secret.length >= 8) this.secrets.add(secret);
  }

  remove(secret: string | undefined): void {
    if (secret) this.secrets.delete(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('‹redacted›');
    for (const shape of secretShapes) out = out.replace(shape, '$1‹redacted›');
    return out;
  }
}
