// Captures: values a step reads from its response into the flow's scope for later steps (a CSRF token, an id,
// a redirect target). A capture that finds nothing fails the step: a later step would otherwise send an empty
// token and fail for a reason far from the cause.
import type { ResponseView } from './extract.js';
import { elementAttr, elementText, jsonPath } from './extract.js';
import { safeRegExp } from './matchers.js';
import type { CaptureSpec } from './schema.js';

export interface CaptureOutcome {
  readonly values: ReadonlyMap<string, unknown>;
  /** Names of captures that found nothing, with where they looked. */
  readonly missing: ReadonlyArray<{ readonly name: string; readonly where: string }>;
}

function one(view: ResponseView, spec: CaptureSpec): { value: unknown; where: string } {
  const response = view.response;
  if (spec.json !== undefined) {
    const body = view.jsonBody();
    const found = body.ok ? jsonPath(body.value, spec.json) : [];
    return { value: found[0], where: `json ${spec.json}${body.ok ? '' : ' (the body is not JSON)'}` };
  }
  if (spec.header !== undefined) return { value: view.header(spec.header), where: `header ${spec.header}` };
  if (spec.cookie !== undefined) {
    const cookie = [...response.setCookies].reverse().find((record) => record.name === spec.cookie && record.rejected === undefined);
    return { value: cookie?.cookie.value, where: `cookie ${spec.cookie}` };
  }
  if (spec.css !== undefined) {
    const element = view.select(spec.css)[0];
    return { value: element === undefined ? undefined : spec.attr === undefined ? elementText(element) : elementAttr(element, spec.attr), where: `css ${spec.css}${spec.attr === undefined ? '' : ` @${spec.attr}`}` };
  }
  if (spec.regex !== undefined) {
    const match = safeRegExp(spec.regex)?.exec(response.body);
    return { value: match === null || match === undefined ? undefined : (match[1] ?? match[0]), where: `regex ${spec.regex}` };
  }
  if (spec.url === true) return { value: response.url.href, where: 'url' };
  return { value: response.status, where: 'status' };
}

/**
 * Runs every capture of a step against its response.
 *
 * @example runCaptures(view, { csrf: { css: 'input[name=csrf]', attr: 'value' } }).values.get('csrf') // 'k2f…'
 */
export function runCaptures(view: ResponseView, specs: Readonly<Record<string, CaptureSpec>>): CaptureOutcome {
  const values = new Map<string, unknown>();
  const missing: Array<{ name: string; where: string }> = [];
  for (const [name, spec] of Object.entries(specs)) {
    const { value, where } = one(view, spec);
    if (value === undefined || value === '') missing.push({ name, where });
    else values.set(name, value);
  }
  return { values, missing };
}
