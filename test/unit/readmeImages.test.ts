// README pictures must show on the Marketplace page, where the README is served on its
// own: vsce rewrites a relative image against package.json's GitHub `repository`
// (https://github.com/<owner>/<repo>/raw/HEAD/<path>) and refuses SVG and plain-http images.
// So every image is a committed PNG/JPEG/GIF under a relative path, and the manifest names
// the repository and does not switch the rewriting off.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/paths';

interface Manifest {
  icon?: string;
  repository?: string | { url?: string };
  scripts: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const tracked = new Set(
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  }).split('\n'),
);

function getImageLinks(markdown: string): string[] {
  return [
    ...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g),
    ...markdown.matchAll(/<img[^>]+src=["']([^"']+)["']/g),
  ].map((m) => m[1]!);
}

describe('README images on the Marketplace page', () => {
  it('has the panel screenshots near the top, after the two commands', () => {
    const top = readme.slice(0, readme.indexOf('## The demo'));
    for (const name of ['metrics', 'logs', 'admin']) assert.ok(top.includes(`(docs/images/${name}.png)`), name);
    assert.ok(readme.startsWith('# InfraWatch\n\n```sh\nnpm run demo '), 'the README opens with the two commands');
  });

  it('links only committed raster images by relative path', () => {
    const links = getImageLinks(readme);
    assert.ok(links.length >= 3, `${links.length} images in the README`);
    for (const link of links) {
      assert.match(
        link,
        /^[\w./-]+\.(png|jpe?g|gif)$/i,
        `${link}: a relative PNG/JPEG/GIF (vsce refuses SVG and http)`,
      );
      assert.ok(tracked.has(link.replace(/^\.\//, '')), `${link} is not a file in the repository`);
    }
  });

  it('names a GitHub repository for vsce to make them absolute, and keeps the rewriting on', () => {
    const url = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
    assert.match(url ?? '', /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+?(\.git)?$/, 'package.json "repository"');
    assert.doesNotMatch(manifest.scripts.package ?? '', /--no-rewrite-relative-links|--allow-missing-repository/);
  });

  it('has a 128×128 PNG marketplace icon', () => {
    assert.equal(manifest.icon, 'media/icon.png');
    const png = readFileSync(join(repoRoot, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'IHDR width and height');
  });
});
