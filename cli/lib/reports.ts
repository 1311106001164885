// Report files and exit codes shared by `hmip6 check`, `hmip6 oracle` and `hmip6 explore`:
// --json and --junit files and counterexample files are written the same way (their folder made
// first), the JSON and JUnit reports are built from the same pieces (a property's testcase, its
// counterexample's fields, the timing), and a verdict maps to the exit code of ADAPTER-PROTOCOL.md.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CheckReport, PropertyReport } from '../../properties/runner.js';
import { EXIT } from '../main.js';

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
    ...(p.counterexample !== undefined ? { failingStep: p.counterexample.failingStep, actions: p.counterexample.actions.length, replayPath: p.counterexample.replayPath } : {}),
    ...(p.file !== undefined ? { counterexample: p.file } : {}),
  };
}

/** A run's timing in the JSON reports: whole milliseconds and actions per second. */
export function timingJson(t: CheckReport['timing']): CheckReport['timing'] {
  return { totalMs: Math.round(t.totalMs), worldMs: Math.round(t.worldMs), steps: t.steps, stepsPerSecond: Math.round(t.stepsPerSecond) };
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
export function junitSuite(name: string, counts: JunitCounts, properties: ReadonlyArray<readonly [string, string | number]>, testcases: readonly string[]): string {
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
export function junitTestcase(classname: string, name: string, ms: number, inside: readonly string[], selfClosing = true): string[] {
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
  p: Pick<PropertyReport, 'id' | 'ms' | 'skipReason' | 'reason' | 'file'> & { verdict: 'pass' | 'skip' | 'not-run' | 'inconclusive' | 'fail' },
  where: string,
): string[] {
  if (p.verdict === 'pass') return junitTestcase(classname, p.id, p.ms, []);
  if (p.verdict === 'skip' || p.verdict === 'not-run') return junitTestcase(classname, p.id, p.ms, [junitSkipped(p.skipReason ?? p.verdict)]);
  if (p.verdict === 'inconclusive') return junitTestcase(classname, p.id, p.ms, [junitFailure('inconclusive', p.reason ?? 'inconclusive', p.reason ?? '')]);
  const text = [p.reason ?? '', where, p.file !== undefined ? `counterexample: ${p.file}` : ''].filter((l) => l !== '').join('\n');
  return junitTestcase(classname, p.id, p.ms, [junitFailure(p.id, p.reason ?? 'failed', text)]);
}
