/** Median with min and max: the summary every timed figure is reported with. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(samples: number[]): Spread {
  if (samples.length === 0) throw new Error('no samples');
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}

/** Takes samples until `repeats` are in; the warm-up run before them is not kept. */
export async function repeat(repeats: number, once: () => Promise<number>): Promise<Spread> {
  await once();
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) samples.push(await once());
  return spread(samples);
}
