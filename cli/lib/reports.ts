// Report files and exit codes shared by `hmip6 check`, `hmip6 oracle` and `hmip6 explore`:
// --json and --junit files and counterexample files are written the same way (their folder made
// first), the JSON and JUnit reports are built from the same pieces (a property's testcase, its
// counterexample's fields, the timing), and a verdict maps to the exit code of ADAPTER-PROTOCOL.md.

import { closeSync, existsSync, mkdirSync, openSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CheckReport, PropertyReport } from '../../properties/runner.js';
import { EXIT } from '../main.js';

/** An output a command was asked for: the option that named it, its path, a file or a folder. */
export interface OutputPath {
  option: string;
  path: string;
  kind: 'file' | 'folder';
}

/** The first folder on the way to `path` that exists but is not a folder, or null. */
function blockingFile(path: string): string | null {
  for (let p = dirname(resolve(path)); ; p = dirname(p)) {
    if (existsSync(p)) return statSync(p).isDirectory() ? null : p;
    if (dirname(p) === p) return null;
  }
}

/** The words for the error codes of node:fs a write meets; the code itself for the others. */
function errorWords(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOSPC') return 'no space left on the device';
  return code ?? (e instanceof Error ? e.message : String(e));
}

/** Why a file system call on `path` failed, in a few words (`e` as thrown by node:fs). */
export function writeFailureReason(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const blocker = blockingFile(path);
  if (blocker !== null) return `${blocker} is a file, not a folder`;
  if (code === 'EEXIST' || code === 'ENOTDIR') return `${path} is a file, not a folder`;
  if (code === 'EISDIR') return `${path} is a folder`;
  return errorWords(e);
}

let probes = 0;

/**
 * Creates and removes an empty file in the existing folder `folder`: whether it can hold new
 * files (an answer no permission bits give for root or a read-only mount). Why not, or null.
 */
function probeFolder(folder: string): string | null {
  const probe = join(folder, `.hmip6-write-probe-${process.pid}-${probes++}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (e) {
    return `cannot create files in ${folder}: ${errorWords(e)}`;
  }
  unlinkSync(probe);
  return null;
}

/**
 * Whether `output` can be written, tried before any work so that a run of minutes does not end
 * in a report it cannot write: an existing file is opened for writing (not changed), an existing
 * folder and else the nearest existing folder above the path get an empty file created and
 * removed. Nothing is left behind (missing folders are made when the output is written).
 * The reason it cannot, or null.
 */
export function unwritableReason(output: OutputPath): string | null {
  const path = resolve(output.path);
  try {
    if (existsSync(path)) {
      const folder = statSync(path).isDirectory();
      if (output.kind === 'file') {
        if (folder) return `${output.path} is a folder`;
        closeSync(openSync(path, 'r+'));
      } else {
        if (!folder) return `${output.path} is a file, not a folder`;
        return probeFolder(path);
      }
      return null;
    }
    const blocker = blockingFile(path);
    if (blocker !== null) return `${blocker} is a file, not a folder`;
    let above = dirname(path);
    while (!existsSync(above)) above = dirname(above);
    return probeFolder(above);
  } catch (e) {
    return writeFailureReason(output.path, e);
  }
}

/**
 * Checks `outputs` (undefined paths are outputs not asked for) before any work; on the first
 * that cannot be written, prints one line and returns the error exit code, else null.
 */
export function checkOutputs(
  command: string,
  outputs: ReadonlyArray<Omit<OutputPath, 'path'> & { path: string | undefined }>,
): number | null {
  for (const output of outputs) {
    if (output.path === undefined) continue;
    const reason = unwritableReason({ ...output, path: output.path });
    if (reason !== null) {
      process.stderr.write(`hmip6 ${command}: cannot write ${output.option} ${output.path}: ${reason}\n`);
      return EXIT.error;
    }
  }
  return null;
}

/**
 * A failure of node:fs to write a path, in one line ("cannot write PATH: REASON"), or null when
 * `e` is something else (a fault of the harness, whose stack is worth printing).
 */
export function writeFailure(e: unknown): string | null {
  const error = e as NodeJS.ErrnoException | null;
  if (typeof error?.code !== 'string' || typeof error.path !== 'string') return null;
  return `cannot write ${error.path}: ${writeFailureReason(error.path, e)}`;
}

/**
 * Runs `write`, the writing of a command's outputs after its work. A file system failure (the
 * checks before the work passed, but something changed since) is one line and the error exit
 * code; anything else is thrown on. Null when all was written.
 */
export function writeOutputs(command: string, write: () => void): number | null {
  try {
    write();
    return null;
  } catch (e) {
    const failure = writeFailure(e);
    if (failure === null) throw e;
    process.stderr.write(`hmip6 ${command}: ${failure}\n`);
    return EXIT.error;
  }
}

/** The outputs of a run of the property suite: --json and --junit files, the --out folder. */
export function runOutputs(options: {
  json?: string | undefined;
  junit?: string | undefined;
  out: string;
}): Array<Omit<OutputPath, 'path'> & { path: string | undefined }> {
  return [
    { option: '--json', path: options.json, kind: 'file' },
    { option: '--junit', path: options.junit, kind: 'file' },
    { option: '--out', path: options.out, kind: 'folder' },
  ];
}

/** Writes `text` to `path`, making its folder first. */
export function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Writes `value` to `path` as indented JSON with a final newline. */
export function writeJson(path: string, value: unknown): void {
  writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes the JSON report to `files.json` and the JUnit XML report to `files.junit`, each when asked for. */
export function writeReports<R>(
  report: R,
  files: { json: string | undefined; junit: string | undefined },
  as: { json: (report: R) => unknown; junit: (report: R) => string },
): void {
  if (files.json !== undefined) writeJson(files.json, as.json(report));
  if (files.junit !== undefined) writeFile(files.junit, as.junit(report));
}

/** The exit code of a run's verdict: 0 pass, 1 a property failed, 2 the IUT or the harness failed, 4 inconclusive. */
export function exitCode(verdict: 'pass' | 'fail' | 'error' | 'inconclusive'): number {
  return EXIT[verdict];
}

/** Text for an XML attribute or element. */
export function xmlEscape(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // XML 1.0 forbids most control characters.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

/** A failed property's shrunk counterexample and the file it was written to, as the JSON reports give them. */
export function counterexampleFields(p: Pick<PropertyReport, 'counterexample' | 'file'>): Record<string, unknown> {
  return {
    ...(p.counterexample !== undefined
      ? {
          failingStep: p.counterexample.failingStep,
          actions: p.counterexample.actions.length,
          replayPath: p.counterexample.replayPath,
        }
      : {}),
    ...(p.file !== undefined ? { counterexample: p.file } : {}),
  };
}

/** A run's timing in the JSON reports: whole milliseconds and actions per second. */
export function timingJson(t: CheckReport['timing']): CheckReport['timing'] {
  return {
    totalMs: Math.round(t.totalMs),
    worldMs: Math.round(t.worldMs),
    steps: t.steps,
    stepsPerSecond: Math.round(t.stepsPerSecond),
  };
}

/** Seconds with three decimals, as JUnit's `time` attributes give them. */
function junitSeconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export interface JunitCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  /** The suite's time. */
  ms: number;
}

/** A JUnit XML document: one testsuite, its properties (name, value) and its testcases' lines. */
export function junitSuite(
  name: string,
  counts: JunitCounts,
  properties: ReadonlyArray<readonly [string, string | number]>,
  testcases: readonly string[],
): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="${xmlEscape(name)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${junitSeconds(counts.ms)}">`,
    '  <properties>',
    ...properties.map(([key, value]) => `    <property name="${xmlEscape(key)}" value="${xmlEscape(String(value))}"/>`),
    '  </properties>',
    ...testcases,
    '</testsuite>',
    '',
  ].join('\n');
}

/**
 * A testcase around the element lines `inside`; with nothing inside it is written `<testcase/>`
 * unless `selfClosing` is false.
 */
export function junitTestcase(
  classname: string,
  name: string,
  ms: number,
  inside: readonly string[],
  selfClosing = true,
): string[] {
  const open = `  <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name)}" time="${junitSeconds(ms)}"`;
  return inside.length === 0 && selfClosing ? [`${open}/>`] : [`${open}>`, ...inside, '  </testcase>'];
}

export function junitSkipped(message: string): string {
  return `    <skipped message="${xmlEscape(message)}"/>`;
}

export function junitFailure(type: string, message: string, text: string): string {
  return `    <failure type="${xmlEscape(type)}" message="${xmlEscape(message)}">${xmlEscape(text)}</failure>`;
}

export function junitError(message: string, text: string, type?: string): string {
  return `    <error${type !== undefined ? ` type="${xmlEscape(type)}"` : ''} message="${xmlEscape(message)}">${xmlEscape(text)}</error>`;
}

export function junitSystemOut(text: string): string {
  return `    <system-out>${xmlEscape(text)}</system-out>`;
}

/**
 * A property's testcase: empty when it held, <skipped> when it was not judged (skipped for a
 * feature, or not run because an error cut the check short), <failure type="inconclusive"> when
 * it judged fewer situations than its minimum, <failure> when it failed (its reason, `where` it
 * failed and its counterexample file).
 */
export function junitPropertyCase(
  classname: string,
  p: Pick<PropertyReport, 'id' | 'ms' | 'skipReason' | 'reason' | 'file'> & {
    verdict: 'pass' | 'skip' | 'not-run' | 'inconclusive' | 'fail';
  },
  where: string,
): string[] {
  if (p.verdict === 'pass') return junitTestcase(classname, p.id, p.ms, []);
  if (p.verdict === 'skip' || p.verdict === 'not-run')
    return junitTestcase(classname, p.id, p.ms, [junitSkipped(p.skipReason ?? p.verdict)]);
  if (p.verdict === 'inconclusive')
    return junitTestcase(classname, p.id, p.ms, [
      junitFailure('inconclusive', p.reason ?? 'inconclusive', p.reason ?? ''),
    ]);
  const text = [p.reason ?? '', where, p.file !== undefined ? `counterexample: ${p.file}` : '']
    .filter((l) => l !== '')
    .join('\n');
  return junitTestcase(classname, p.id, p.ms, [junitFailure(p.id, p.reason ?? 'failed', text)]);
}
