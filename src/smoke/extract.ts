// Reading values out of a response, shared by captures and expectations: JSONPath over the JSON body, CSS
// selectors over the HTML body (parsed once per response, lazily), headers by name.
import { selectAll } from 'css-select';
import type { Element } from 'domhandler';
import { getAttributeValue, textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { JSONPath } from 'jsonpath-plus';
import type { HttpResponse } from './http.js';

/** A response with its parsed views, each computed at most once. */
export class ResponseView {
  private json?: { ok: true; value: unknown } | { ok: false };
  private dom?: ReturnType<typeof parseDocument>;

  constructor(readonly response: HttpResponse) {}

  /** The body as JSON, or undefined when it is not JSON. */
  jsonBody(): { ok: true; value: unknown } | { ok: false } {
    if (this.json === undefined) {
      try {
        const value: unknown = JSON.parse(this.response.body);
        this.json = { ok: true, value };
      } catch {
        this.json = { ok: false };
      }
    }
    return this.json;
  }

  /** Elements matching a CSS selector; an invalid selector matches nothing (load.ts reports it first). */
  select(selector: string): Element[] {
    this.dom ??= parseDocument(this.response.body);
    try {
      return selectAll<ReturnType<typeof parseDocument> | Element, Element>(selector, this.dom);
    } catch {
      return [];
    }
  }

  header(name: string): string | undefined {
    const values = this.response.headers.get(name.toLowerCase());
    return values === undefined ? undefined : values.join(', ');
  }
}

/**
 * The values a JSONPath finds. Filter expressions run in jsonpath-plus's safe evaluator, never `eval`.
 *
 * @example jsonPath({ user: { email: 'a@b.io' } }, '$.user.email') // ['a@b.io']
 */
export function jsonPath(json: unknown, path: string): unknown[] {
  if (json === null || (typeof json !== 'object' && !Array.isArray(json))) return [];
  try {
    const found: unknown = JSONPath({ path, json, wrap: true, eval: 'safe' });
    return Array.isArray(found) ? found : [];
  } catch {
    return [];
  }
}

/** Whether a selector parses (for the load-time check). */
export function isValidSelector(selector: string): boolean {
  try {
    selectAll(selector, parseDocument('<p></p>'));
    return true;
  } catch {
    return false;
  }
}

/** An element's trimmed text with runs of white space collapsed, as a reader sees it. */
export function elementText(element: Element): string {
  return textContent(element).replace(/\s+/g, ' ').trim();
}

export function elementAttr(element: Element, name: string): string | undefined {
  return getAttributeValue(element, name);
}
