// The InfraWatch block in the user's AWS config file: one profile per session, each with a
// credential_process that runs the helper shipped with the extension (no key, secret or
// token is written). Everything outside the block is kept byte for byte: the block is
// found by its marker lines, replaced where it is, or put at the top of the file (so a
// file without a final newline keeps it that way). A file the AWS clients could not read
// the way we do is left alone, with the line that is wrong.
//
// The rules follow the parsers that read this file: botocore (Python's RawConfigParser:
// "[section]", "key = value" or "key: value", "#"/";" comment lines, indented lines
// continue a value, a key before any section or a duplicate section is an error) and
// SDK v3 (@smithy/shared-ini-file-loader, which is more lenient).
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html
import { type AccessLevel, type ServiceId } from '../catalog';
import { InfraWatchError } from '../errors';

export const blockStart =
  '# >>> InfraWatch profiles: managed by the InfraWatch VS Code extension, which rewrites this block and removes it when "infrawatch.awsProfiles" is off.';
export const blockEnd = '# <<< InfraWatch profiles';

export interface ProfileEntry {
  service: ServiceId;
  level: AccessLevel;
  region: string;
}

/** The profile a session is named by in the AWS config, e.g. infrawatch-rds-read. */
export function getProfileName(service: ServiceId, level: AccessLevel): string {
  return `infrawatch-${service}-${level}`;
}

/** The profile name as written in the config file's section header. */
function getSectionName(entry: Pick<ProfileEntry, 'service' | 'level'>): string {
  return `profile ${getProfileName(entry.service, entry.level)}`;
}

const regionShape = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const profileInBlock = /^\[profile infrawatch-([a-z0-9]+)-([a-z]+)\]$/;

/** A line of the file: its text without the line ending, and the ending. */
interface Line {
  text: string;
  eol: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  for (let match = pattern.exec(text); match !== null && match.index < text.length; match = pattern.exec(text)) {
    lines.push({ text: match[1], eol: match[2] });
  }
  return lines;
}

function refuse(path: string, line: number, why: string): never {
  throw new InfraWatchError(
    'Validation',
    `InfraWatch left ${path} unchanged: line ${line} ${why}. Fix that line (the AWS CLI and SDKs cannot read it either), then try again.`,
  );
}

/** Section names of the lines given, checked the way botocore reads them. */
function checkLines(path: string, lines: Line[], firstNumber: number, sections: Map<string, number>): void {
  let inSection = false;
  let afterKey = false;
  lines.forEach(({ text }, index) => {
    const number = firstNumber + index;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    if (/^\s/.test(text)) {
      // Indented: continues the value of the key above (an s3 = … sub-section, say).
      if (!afterKey) refuse(path, number, 'is indented but continues no "key ="');
      return;
    }
    const header = /^\[([^\]]+)\]\s*$/.exec(text);
    if (header) {
      const name = header[1];
      const seen = sections.get(name);
      if (seen !== undefined) refuse(path, number, `repeats the section [${name}] of line ${seen}`);
      sections.set(name, number);
      inSection = true;
      afterKey = false;
      return;
    }
    if (!/^[^=:]*[^=:\s][^=:]*\s*[=:]/.test(text))
      refuse(path, number, 'is not a [section], a key = value or a comment');
    if (!inSection) refuse(path, number, 'sets a key before any [section]');
    afterKey = true;
  });
}

/** A section of the user's with a name the block has: botocore refuses duplicate sections. */
function checkClashes(path: string, sections: ReadonlyMap<string, number>, entries: readonly ProfileEntry[]): void {
  for (const entry of entries) {
    const name = getSectionName(entry);
    const number = sections.get(name);
    if (number !== undefined) refuse(path, number, `defines [${name}], which the InfraWatch block defines too`);
  }
}

export interface ParsedConfig {
  /** A byte order mark the file starts with, kept first. */
  bom: string;
  /** Lines before and after the block (all of them when there is none). */
  before: Line[];
  after: Line[];
  /** The profiles the block holds now. */
  entries: ProfileEntry[];
  /** The line ending the file uses (its first one; "\n" for an empty file). */
  eol: string;
  hasBlock: boolean;
  /** The user's sections (outside the block) and their line numbers. */
  sections: ReadonlyMap<string, number>;
}

/** Reads a config file's text; throws a message naming the line when it cannot be read safely. */
export function parseConfig(path: string, text: string): ParsedConfig {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const lines = splitLines(text.slice(bom.length));
  const starts = lines.flatMap((l, i) => (l.text === blockStart ? [i] : []));
  const ends = lines.flatMap((l, i) => (l.text === blockEnd ? [i] : []));
  if (
    starts.length > 1 ||
    ends.length > 1 ||
    starts.length !== ends.length ||
    (starts.length === 1 && ends[0] < starts[0])
  ) {
    refuse(
      path,
      (starts[1] ?? ends[1] ?? starts[0] ?? ends[0]) + 1,
      'breaks the InfraWatch block (its start and end lines must appear once each, in order)',
    );
  }
  const hasBlock = starts.length === 1;
  const before = hasBlock ? lines.slice(0, starts[0]) : lines;
  const inside = hasBlock ? lines.slice(starts[0] + 1, ends[0]) : [];
  const after = hasBlock ? lines.slice(ends[0] + 1) : [];
  const sections = new Map<string, number>();
  checkLines(path, before, 1, sections);
  const entries: ProfileEntry[] = [];
  let current: ProfileEntry | undefined;
  inside.forEach(({ text }, index) => {
    const header = profileInBlock.exec(text);
    if (header) {
      current = { service: header[1] as ServiceId, level: header[2] as AccessLevel, region: '' };
      entries.push(current);
    } else if (current && text.startsWith('region = ')) {
      current.region = text.slice('region = '.length);
    } else if (text !== '' && !text.startsWith('credential_process = ') && !text.startsWith('#')) {
      refuse(path, starts[0] + 2 + index, 'inside the InfraWatch block was not written by InfraWatch');
    }
  });
  checkLines(path, after, ends[0] + 2, sections);
  checkClashes(path, sections, entries);
  return { bom, before, after, entries, sections, eol: lines[0]?.eol || '\n', hasBlock };
}

/**
 * The value of credential_process: the launcher and the session's key, each quoted for
 * both readers of it: botocore splits it with shlex (POSIX rules), SDK v3 and the Go SDK
 * hand it to /bin/sh. Single quotes mean the same to both.
 */
export function getCredentialProcess(
  launcher: string,
  service: ServiceId,
  level: AccessLevel,
  platform = process.platform,
): string {
  if (platform === 'win32') return `"${launcher}" ${service}:${level}`;
  return `'${launcher.replaceAll("'", `'\\''`)}' ${service}:${level}`;
}

/** The block for these profiles, with the file's line ending; '' when there are none. */
function renderBlock(
  entries: readonly ProfileEntry[],
  launcher: string,
  eol: string,
  platform = process.platform,
): string {
  if (entries.length === 0) return '';
  const lines = [blockStart];
  for (const entry of entries) {
    if (!regionShape.test(entry.region))
      throw new InfraWatchError(
        'Validation',
        `Writing the AWS profile failed: not a region name: ${JSON.stringify(entry.region)}`,
      );
    lines.push(
      `[${getSectionName(entry)}]`,
      `credential_process = ${getCredentialProcess(launcher, entry.service, entry.level, platform)}`,
      `region = ${entry.region}`,
    );
  }
  lines.push(blockEnd);
  return lines.map((line) => `${line}${eol}`).join('');
}

function joinLines(lines: Line[]): string {
  return lines.map((l) => l.text + l.eol).join('');
}

/**
 * The file's new text with exactly these profiles in the block (none: no block). The rest
 * is the old text unchanged; a block that was not there goes first (after a byte order mark).
 */
export function setProfiles(
  path: string,
  text: string,
  entries: readonly ProfileEntry[],
  launcher: string,
  platform = process.platform,
): string {
  const parsed = parseConfig(path, text);
  checkClashes(path, parsed.sections, entries);
  const sorted = [...entries].sort((a, b) =>
    getProfileName(a.service, a.level).localeCompare(getProfileName(b.service, b.level)),
  );
  const block = renderBlock(sorted, launcher, parsed.eol, platform);
  return (
    parsed.bom +
    (parsed.hasBlock ? joinLines(parsed.before) + block + joinLines(parsed.after) : block + joinLines(parsed.before))
  );
}
