/**
 * amari-ep's library API for Node ("amari-ep/node"): everything in the
 * universal entry (./index.ts), plus what needs Node: config files, Dawn
 * devices through the `webgpu` package, createEngine (which loads Dawn), and
 * the writers of run directories and their figures (node:fs, Vega, resvg).
 */
export * from './index.js';
export { loadConfigFile } from './config/load-file.js';
export { BACKENDS, createEngine, type Backend } from './run/create-engine.js';
export { requestNodeDevice } from './gpu/node-device.js';
export { renderSvg, svgToPng } from './figures/render.js';
export { sweepFigure, type SweepFigureData, type SweepPanel } from './figures/sweep.js';
export { writeRun } from './io/write-run.js';
export { writeBalance } from './io/write-balance.js';
