// Trace sentences that a decision keeps. A template literal builds its result as a chain of V8 rope
// (cons) strings, one small object per piece, and a replay keeps several such sentences per message:
// at 100,000 messages those ropes were most of the objects the garbage collector had to copy and
// mark. `flat` gives the same text as the template literal, as one flat string.

/**
 * Tag for a template literal whose result is kept: same text as the untagged literal (each value is
 * converted with String(), as a template literal does), built as one flat string.
 */
export function flat(parts: TemplateStringsArray, ...values: unknown[]): string {
  const n = values.length;
  const pieces = new Array<string>(2 * n + 1);
  pieces[0] = parts[0] as string;
  for (let i = 0; i < n; i++) {
    pieces[2 * i + 1] = String(values[i]);
    pieces[2 * i + 2] = parts[i + 1] as string;
  }
  return pieces.join('');
}
