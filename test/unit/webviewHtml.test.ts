import * as assert from 'node:assert/strict';
import { createNonce, getWebviewHtml } from '../../src/core/webviewHtml';

const cspSource = 'https://abc.vscode-cdn.net';
const base = {
  cspSource,
  scriptUri: `${cspSource}/dist/webview/metrics.js`,
  styleUris: [`${cspSource}/dist/webview/metrics.css`, `${cspSource}/media/webview.css`],
  title: 'Metrics: orders-db',
  panel: 'metrics' as const,
};

function getCsp(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'the page has a CSP meta tag');
  return match[1]!.replace(/&#39;/g, "'");
}

describe('webview html', () => {
  it('creates a fresh base64 nonce of 128 bits each time', () => {
    const a = createNonce();
    assert.match(a, /^[A-Za-z0-9+/]{22}==$/);
    assert.notEqual(a, createNonce());
  });

  it('has a strict CSP: nothing unsafe, scripts only by nonce, no connections', () => {
    const nonce = createNonce();
    const csp = getCsp(getWebviewHtml({ ...base, nonce }));
    assert.doesNotMatch(csp, /unsafe-/);
    const directives = Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    );
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.deepEqual(directives['script-src'], [`'nonce-${nonce}'`]);
    assert.deepEqual(directives['style-src'], [cspSource, `'nonce-${nonce}'`]);
    assert.deepEqual(directives['font-src'], [cspSource]);
    assert.deepEqual(directives['img-src'], [cspSource, 'data:']);
    assert.deepEqual(directives['connect-src'], ["'none'"]);
  });

  it('gives every script tag the nonce, loads the bundle and has no inline code or handlers', () => {
    const nonce = createNonce();
    const html = getWebviewHtml({ ...base, nonce });
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    for (const [, attrs, body] of scripts) {
      assert.ok(attrs!.includes(`nonce="${nonce}"`), 'script carries the nonce');
      assert.ok(attrs!.includes(`src="${base.scriptUri}"`));
      assert.equal(body!.trim(), '', 'no inline script');
    }
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /<style\b/, 'no inline style blocks');
    for (const uri of base.styleUris)
      assert.ok(html.includes(`<link rel="stylesheet" nonce="${nonce}" href="${uri}">`));
  });

  it('escapes the title and puts no other text into the page', () => {
    const title = '</title><script>alert(1)</script>"\'&';
    const html = getWebviewHtml({ ...base, nonce: createNonce(), title });
    assert.equal([...html.matchAll(/<script\b/g)].length, 1);
    assert.ok(html.includes('<title>&#60;/title&#62;&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#39;&#38;</title>'));
  });

  it('accepts the multi-source cspSource VS Code gives in the browser', () => {
    const multi = "'self' https://*.vscode-cdn.net";
    const csp = getCsp(getWebviewHtml({ ...base, nonce: createNonce(), cspSource: multi }));
    assert.match(csp, /style-src 'self' https:\/\/\*\.vscode-cdn\.net 'nonce-/);
    assert.match(csp, /font-src 'self' https:\/\/\*\.vscode-cdn\.net;/);
  });

  it('refuses a nonce or CSP source that could widen the policy', () => {
    assert.throws(() => getWebviewHtml({ ...base, nonce: "abc' 'unsafe-inline" }));
    assert.throws(() => getWebviewHtml({ ...base, nonce: createNonce(), cspSource: "x 'unsafe-eval'" }));
    assert.throws(() => getWebviewHtml({ ...base, nonce: createNonce(), cspSource: 'x; script-src *' }));
    assert.throws(() => getWebviewHtml({ ...base, nonce: createNonce(), cspSource: "'self' 'unsafe-inline'" }));
    assert.throws(() => getWebviewHtml({ ...base, nonce: createNonce(), cspSource: '' }));
  });
});
