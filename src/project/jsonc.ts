/**
 * Parses JSON with comments and trailing commas (tsconfig.json, jsconfig.json, VS Code settings) without
 * pulling in the TypeScript compiler: comments are blanked (so offsets and lines stay valid) and trailing
 * commas dropped before JSON.parse. Returns undefined when the text is still not JSON.
 *
 * @example parseJsonc('{ "compilerOptions": { "strict": true, }, // base\n }') // { compilerOptions: { strict: true } }
 */
export function parseJsonc(text: string): unknown {
  try {
    return JSON.parse(stripJsonc(text));
  } catch {
    return undefined;
  }
}

/** The text with comments replaced by spaces and trailing commas removed; strings are left untouched. */
export function stripJsonc(text: string): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    const next = text[index + 1] ?? '';
    if (char === '"') {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      out += text.slice(index, end + 1);
      index = end + 1;
    } else if (char === '/' && next === '/') {
      const end = text.indexOf('\n', index);
      const stop = end < 0 ? text.length : end;
      out += ' '.repeat(stop - index);
      index = stop;
    } else if (char === '/' && next === '*') {
      const end = text.indexOf('*/', index + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(index, stop).replace(/[^\n]/g, ' ');
      index = stop;
    } else {
      out += char;
      index += 1;
    }
  }
  return dropTrailingCommas(out);
}

/** Removes commas that only whitespace separates from a closing `}` or `]`, outside strings. */
function dropTrailingCommas(text: string): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (char === '"') {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      out += text.slice(index, end + 1);
      index = end + 1;
      continue;
    }
    if (char === ',' && /^\s*[}\]]/.test(text.slice(index + 1, index + 200))) {
      out += ' ';
    } else {
      out += char;
    }
    index += 1;
  }
  return out;
}
