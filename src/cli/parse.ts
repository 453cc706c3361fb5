import { InvalidArgumentError } from 'commander';

/** Commander argument parsers that name the allowed range in their refusal. */
export function integerAtLeast(min: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < min) {
      throw new InvalidArgumentError(`got "${text}"; allowed: an integer ≥ ${min}`);
    }
    return value;
  };
}

export function oneOf<T extends string>(allowed: readonly T[]) {
  return (text: string): T => {
    if (!(allowed as readonly string[]).includes(text)) {
      throw new InvalidArgumentError(`got "${text}"; allowed: ${allowed.join(', ')}`);
    }
    return text as T;
  };
}
