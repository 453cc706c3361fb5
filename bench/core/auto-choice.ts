import type { Config } from '../../src/config/schema.js';
import { gridOf } from '../../src/config/geometry.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { shapeLabel } from '../../src/gpu/layout/tiles.js';
import type { AutoChoice } from './rows.js';

/**
 * What `--convolution auto` (the CLI's and the demo's default) takes for this
 * config on this adapter, and how it decided: an engine is made the way a
 * run makes it, with no cache on disk, so the choice is decided afresh in
 * this process (measured, or not worth measuring) and can be read beside
 * the rows that timed each path at full size. Where it runs the separable
 * stencil's column pass, `how` names the workgroup it runs (tuned with the
 * path where measured).
 */
export async function autoChoice(device: GPUDevice, description: string, config: Config): Promise<AutoChoice> {
  const engine = await GpuEngine.create(device, description, config, 1, { convolution: 'auto' });
  try {
    const { nx, ny } = gridOf(config);
    const shape = engine.separableShape;
    const note = engine.convolutionNote;
    const how = shape && !note.includes('column workgroup') ? `${note}; column workgroup ${shapeLabel(shape)}` : note;
    return { nx, ny, radius: config.kernel.radius!, convolution: engine.convolution, driftVariant: engine.driftVariant, how };
  } finally {
    engine.dispose();
  }
}
