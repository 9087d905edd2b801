// Percent-decoding that cannot throw: a password such as `50%off` is a malformed escape, and one bad URL must be
// reported as that component's configuration error, not crash the whole diagnosis. docs/doctor.md#layers

/**
 * `decodeURIComponent`, or undefined when `value` holds a `%` not followed by two hex digits.
 *
 * @example safeDecode('p%40ss') // 'p@ss'
 * @example safeDecode('50%off') // undefined
 */
export function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** `safeDecode`, falling back to the raw text (for display and for layers the config layer already vetted). */
export function decodeOrRaw(value: string): string {
  return safeDecode(value) ?? value;
}
