// Why 10 of issue 9: the log redactor let secrets through in forms a log line really takes:
// an Authorization header's token after "Bearer", values under a "Token" key it was never
// told about, AWS_CONTAINER_AUTHORIZATION_TOKEN= lines, and registered secrets that were split
// across lines, JSON-escaped, URL-encoded, base64 or hex encoded, or cut to a prefix.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redactor } from '../../src/core/redact';

/** A secret access key shaped value with "/" and "+" in it, as AWS issues them. */
const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY+EXAMPLEKEY';
const sessionToken = `IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+${randomBytes(96).toString('base64')}`;
const bearer = randomBytes(32).toString('base64url');

function registered(): Redactor {
  const redactor = new Redactor();
  for (const secret of [secretKey, sessionToken, bearer]) redactor.add(secret);
  return redactor;
}

/** Fails when any 12 characters in a row of `sample` survive in `out`. */
function assertNoPiece(out: string, sample: string, what: string): void {
  for (let i = 0; i + 12 <= sample.length; i += 1) {
    const piece = sample.slice(i, i + 12);
    assert.ok(!out.includes(piece), `${what}: "${piece}" (at ${i}) survived in: ${out.slice(0, 300)}`);
  }
}

describe('adversarial: the redactor masks every form a secret takes in a log line (issue 9, Why 10)', () => {
  it('an Authorization header: the token after Bearer, not only the word', () => {
    const token = randomBytes(24).toString('hex');
    for (const line of [
      `GET /creds Authorization: Bearer ${token}`,
      `{"headers":{"Authorization":"Bearer ${token}"}}`,
      `authorization=bearer ${token}`,
      `Authorization: ${token}`,
    ]) {
      const out = new Redactor().redact(line);
      assertNoPiece(out, token, line.slice(0, 30));
      assert.match(out, /‹redacted›/);
    }
    assert.equal(new Redactor().redact('Authorization: Bearer abcdef0123456789'), 'Authorization: Bearer ‹redacted›');
  });

  it('an unregistered value under a "Token" key, any case, JSON or key=value', () => {
    const token = randomBytes(30).toString('base64');
    for (const line of [
      `{"Token":"${token}"}`,
      `{"token": "${token}", "next": 1}`,
      `{"TOKEN":"${token}"}`,
      `Token=${token} sent`,
      `token: ${token}`,
      `{"AccessToken":"${token}"}`,
      `refresh_token=${token}&grant_type=x`,
      `X-aws-ec2-metadata-token: ${token}`,
    ])
      assertNoPiece(new Redactor().redact(line), token, line.slice(0, 24));
  });

  it('AWS_CONTAINER_AUTHORIZATION_TOKEN= lines, exported, quoted or in an environment dump', () => {
    const token = randomBytes(32).toString('base64url');
    for (const line of [
      `AWS_CONTAINER_AUTHORIZATION_TOKEN=${token}`,
      `export AWS_CONTAINER_AUTHORIZATION_TOKEN="${token}"`,
      `env: {"AWS_CONTAINER_AUTHORIZATION_TOKEN":"${token}","AWS_CONTAINER_CREDENTIALS_FULL_URI":"http://127.0.0.1:5000/x"}`,
    ]) {
      const out = new Redactor().redact(line);
      assertNoPiece(out, token, line.slice(0, 40));
      assert.ok(
        out.includes('AWS_CONTAINER_AUTHORIZATION_TOKEN'),
        'the variable name stays, so the line still makes sense',
      );
    }
    const file = new Redactor().redact('AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=/run/user/1000/iw/token');
    assert.equal(
      file,
      'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=/run/user/1000/iw/token',
      'a token file path is not a secret',
    );
  });

  it('a registered secret split across lines (LF, CRLF, indented continuation)', () => {
    const r = registered();
    for (const [secret, at] of [
      [secretKey, 20],
      [sessionToken, 64],
      [bearer, 11],
    ] as const) {
      for (const br of ['\n', '\r\n', '\n    ', ' \\\n  ']) {
        const out = r.redact(`value: ${secret.slice(0, at)}${br}${secret.slice(at)} end`);
        assertNoPiece(out, secret, JSON.stringify(br));
        assert.ok(out.endsWith(' end'));
      }
    }
    const wrapped = sessionToken.match(/.{1,64}/g)!.join('\n');
    assertNoPiece(r.redact(`token:\n${wrapped}\n`), sessionToken, 'wrapped at 64 columns');
  });

  it('a registered secret JSON-escaped', () => {
    const r = registered();
    const slashEscaped = secretKey.replace(/\//g, '\\/');
    assertNoPiece(r.redact(`{"key":"${slashEscaped}"}`), slashEscaped, '\\/ escapes');
    const unicodeEscaped = secretKey.replace(/\//g, '\\u002f').replace(/\+/g, '\\u002B');
    assertNoPiece(r.redact(`{"key":"${unicodeEscaped}"}`), unicodeEscaped, '\\u escapes');
    const nested = JSON.stringify(JSON.stringify({ note: `see ${secretKey}` }));
    assertNoPiece(r.redact(nested), secretKey, 'JSON in a JSON string');
  });

  it('a registered secret URL-encoded (upper- or lower-case escapes, or twice)', () => {
    const r = registered();
    for (const encoded of [
      encodeURIComponent(secretKey),
      encodeURIComponent(secretKey).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      encodeURIComponent(encodeURIComponent(secretKey)),
      encodeURIComponent(sessionToken),
    ])
      assertNoPiece(r.redact(`GET /x?k=${encoded}&y=1`), encoded, encoded.slice(0, 20));
  });

  it('a registered secret base64 (at any offset, standard or URL alphabet) or hex encoded', () => {
    const r = registered();
    for (const secret of [secretKey, sessionToken, bearer]) {
      for (const before of ['', 'a', 'ab', 'user:']) {
        const bytes = Buffer.from(`${before}${secret}\n`);
        for (const encoded of [bytes.toString('base64'), bytes.toString('base64url')]) {
          // The characters covering the secret's own bytes, whatever surrounds them.
          const inner = encoded.slice(
            Math.ceil((before.length * 4) / 3) + 1,
            Math.floor(((before.length + secret.length) * 4) / 3) - 1,
          );
          assertNoPiece(r.redact(`Authorisation blob ${encoded} sent`), inner, `base64 after "${before}"`);
        }
      }
      for (const hex of [Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('hex').toUpperCase()]) {
        assertNoPiece(r.redact(`dump ${hex} end`), hex, 'hex');
      }
    }
  });

  it('a registered secret cut to a prefix of 16 characters or more', () => {
    const r = registered();
    for (const secret of [secretKey, sessionToken, bearer]) {
      for (const length of [16, 20, secret.length - 1]) {
        const out = r.redact(`token ${secret.slice(0, length)}… was refused`);
        assert.ok(!out.includes(secret.slice(0, 16)), `a ${length}-character prefix survived: ${out}`);
        assert.ok(out.endsWith('… was refused'));
      }
    }
  });

  it('keeps what is not secret: access key ids, plain prose, ordinary numbers', () => {
    const r = registered();
    const line =
      'Signed in as arn:aws:iam::111122223333:user/ada with ASIAY34FZKBOKMUTVV7A; 3 sessions, next in 15 min';
    assert.equal(r.redact(line), line);
    assert.equal(r.redact('the token expired; request a new one'), 'the token expired; request a new one');
  });
});
