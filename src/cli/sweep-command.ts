import { InvalidArgumentError, type Command } from 'commander';
import { BACKENDS, type Backend } from '../run/create-engine.js';
import { DEFAULT_BLOCKS } from '../run/simulate.js';
import { figureFiles } from '../figures/figure-files.js';
import { sweepFigure } from '../figures/sweep.js';
import { writeAllOrNothing } from '../io/atomic-write.js';
import {
  BATCH_MODES, mergeSweeps, parseParam, parseShard, runSweep, sweepFigureData, sweepFigurePanels, SweepError,
  type BatchMode, type Shard, type SweepFigureData, type SweptParam,
} from '../sweep/index.js';
import { resolveConfig, type ConfigSource } from './config-source.js';
import { diskConvolutionCache } from './convolution-cache.js';
import { num, seconds } from './format.js';
import { integerAtLeast, oneOf } from './parse.js';

interface SweepCommandOptions extends ConfigSource {
  param?: SweptParam[];
  steps: number;
  burnIn: number;
  replicas: number;
  blocks: number;
  backend: Backend;
  convolution: string;
  noiseShaping: string;
  spectrumSamples: number;
  batch: BatchMode;
  curvePoints: number;
  shard?: Shard;
  out?: string;
}

/** A SweepError from the parsers as commander's own refusal of an option's value. */
const asOption =
  <T>(parse: (text: string) => T) =>
  (text: string): T => {
    try {
      return parse(text);
    } catch (e) {
      if (e instanceof SweepError) throw new InvalidArgumentError(e.message);
      throw e;
    }
  };

const collectParam = asOption((text: string) => parseParam(text));

/**
 * The sweep's figure (sweep.svg and sweep.png): the estimate with error bars
 * against each parameter beside the dense theory curves, from the points
 * finished so far. Rewritten after every sweep and merge, all or nothing.
 */
async function writeSweepFigures(dir: string, data: SweepFigureData): Promise<string[]> {
  if (!data.points.length) return [];
  return writeAllOrNothing(dir, await figureFiles('sweep', sweepFigure(sweepFigurePanels(data))));
}

export function registerSweep(program: Command): void {
  const sweep = program
    .command('sweep')
    .description('run a config at every point of a parameter grid (resumable, shardable); sweep.csv beside the theory')
    .option('-c, --config <file>', 'base configuration JSON file')
    .option('-p, --preset <name>', 'a named preset instead of a file (default: irreversible)')
    .option(
      '--param <PATH=VALUES>',
      'a swept parameter, repeatable (the product of the lists): PATH=a:b:count (count evenly spaced values, both ends included) or PATH=v1,v2,...; ' +
        'PATH a dotted path to a number of the config: kernel.shift.0, noise.amplitude, transfer.slope, dt',
      (text: string, previous: SweptParam[] = []) => [...previous, collectParam(text)],
    )
    .option('-n, --steps <N>', 'measured steps per point', integerAtLeast(2), 10000)
    .option('-b, --burn-in <B>', 'steps run before measuring', integerAtLeast(0), 1000)
    .option('-r, --replicas <R>', 'independent copies of the field per point', integerAtLeast(1), 1)
    .option('--blocks <K>', 'batch-means blocks for the standard error', integerAtLeast(2), DEFAULT_BLOCKS)
    .option('--backend <name>', `engine: ${BACKENDS.join(', ')}`, oneOf(BACKENDS), 'auto')
    .option('--convolution <path>', 'GPU: auto, stencil, stencil-2d or fft (as for run)', oneOf(['auto', 'stencil', 'stencil-2d', 'fft'] as const), 'auto')
    .option('--noise-shaping <path>', 'GPU, correlated noise: stencil or fft', oneOf(['stencil', 'fft'] as const), 'stencil')
    .option(
      '--spectrum-samples <S>',
      "steps sampled for σ(k) per point, in each point's summary.json (0: none; a sweep's table and figure use rates only, and points that sample σ(k) run one at a time)",
      integerAtLeast(0),
      0,
    )
    .option(
      '--batch <mode>',
      `${BATCH_MODES.join(' or ')}: auto runs points that differ only in noise.amplitude, input, transfer.slope or .gain, dt, tau or seed as replicas of one GPU dispatch (the same numbers as one at a time)`,
      oneOf(BATCH_MODES),
      'auto',
    )
    .option('--curve-points <N>', 'values of each theory curve along a parameter (0: none)', integerAtLeast(0), 101)
    .option('--shard <i/N>', 'run only the i-th of N shares of the points (index mod N = i − 1); join them with sweep merge', asOption(parseShard))
    // Not a requiredOption: commander checks a parent's required options when a subcommand (merge) runs too.
    .option('-o, --out <dir>', 'the sweep folder (required): sweep.json, sweep.csv, theory-curves.json, points/<id>/; rerun to resume')
    .action(async (options: SweepCommandOptions) => {
      if (!options.out) throw new SweepError('sweep: --out DIR is required: the sweep writes its points, sweep.csv and theory there, and a rerun resumes from it');
      const { config: base, label } = resolveConfig(options);
      const plan = {
        base,
        params: options.param ?? [],
        shard: options.shard,
        options: {
          steps: options.steps,
          burnIn: options.burnIn,
          replicas: options.replicas,
          blocks: options.blocks,
          backend: options.backend,
          convolution: options.convolution,
          noiseShaping: options.noiseShaping,
          spectrumSamples: options.spectrumSamples,
          curvePoints: options.curvePoints,
        },
      };
      const shard = options.shard ? `, shard ${options.shard.index}/${options.shard.count}` : '';
      const outcome = await runSweep(plan, options.out, {
        gpu: { convolutionCache: diskConvolutionCache() },
        batch: options.batch,
        onPoint: ({ point, position, of, run, seconds: s }) => {
          const at = Object.entries(point.values).map(([p, v]) => `${p} = ${v}`).join(', ');
          if (!run) {
            console.log(`  ${position}/${of} ${point.id} (${at}): finished before, skipped`);
            return;
          }
          const { epr, theory } = run.summary;
          const vs = 'unavailable' in theory ? 'no theory' : `σ_dt = ${num(theory.eprDiscrete)}`;
          console.log(`  ${position}/${of} ${point.id} (${at}): ${num(epr.estimate)} ± ${num(epr.stderr, 2)} (${vs}), ${seconds(s)}, ${run.note}`);
        },
      });
      const figures = await writeSweepFigures(options.out, sweepFigureData(options.out));
      const total = outcome.manifest.points.length;
      console.log(
        `amari-ep sweep: ${label}, ${total} point(s) (${outcome.manifest.sweep})${shard}: ran ${outcome.ran}, skipped ${outcome.skipped} finished before; ` +
          `sweep.csv has ${outcome.rows} of ${total} rows${figures.length ? `; wrote ${figures.join(', ')}` : ''}`,
      );
    });

  sweep
    .command('merge')
    .description("join the shards of one sweep (their --out folders) into one: the unsharded sweep's files")
    .argument('<dirs...>', 'the shards’ folders')
    .requiredOption('-o, --out <dir>', 'the merged sweep folder')
    .action(async (dirs: string[], options: { out: string }) => {
      const { manifest, copied } = mergeSweeps(dirs, options.out);
      const figures = await writeSweepFigures(options.out, sweepFigureData(options.out));
      console.log(
        `amari-ep sweep merge: ${manifest.points.length} points of ${manifest.sweep} into ${options.out} (${dirs.map((d, i) => `${copied[i]} from ${d}`).join(', ')})` +
          `${figures.length ? `; wrote ${figures.join(', ')}` : ''}`,
      );
    });
}
