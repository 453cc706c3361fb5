/**
 * How deeply a parsed JSON document nests, checked without recursion before
 * the schema sees it: validation, and the messages that quote values, recurse
 * into what they are given, and a document nested thousands of levels deep
 * would end in "Maximum call stack size exceeded" instead of a refusal.
 */

/** A configuration nests four levels (config.kernel.excitation.sigma, a map's center); this leaves room. */
export const MAX_NESTING = 16;

/** Why a document nests too deeply, naming where, or undefined. */
export function nestingProblem(document: unknown, limit = MAX_NESTING): string | undefined {
  const stack: { value: unknown; path: string[] }[] = [{ value: document, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= limit) {
      const where = path.length ? path.slice(0, 4).join('.') + (path.length > 4 ? '.…' : '') : '(top level)';
      return `${where}: arrays and objects nested more than ${limit} levels deep; allowed: at most ${limit} (a configuration nests 4)`;
    }
    for (const [key, child] of Object.entries(value)) stack.push({ value: child, path: [...path, key] });
  }
  return undefined;
}
