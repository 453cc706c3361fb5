/**
 * Which presets the front page lists that do not exist (their links are
 * disabled), and which exist but are not listed (they are added).
 */
export function presetAvailability(listed: string[], available: readonly string[], alsoListed: string[] = []): { missing: string[]; unlisted: string[] } {
  return {
    missing: listed.filter((name) => !available.includes(name)),
    unlisted: available.filter((name) => !listed.includes(name) && !alsoListed.includes(name)),
  };
}
